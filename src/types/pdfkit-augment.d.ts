/**
 * Additions to @types/pdfkit (0.17) for pdfkit 0.20 features used by
 * src/render/pdf. Global script file: merges into the `PDFKit` namespace.
 */
declare namespace PDFKit {
  interface DocumentInfo {
    /** Custom info key: SHA-256 of the rendered input; feeds the trailer /ID. */
    Digest?: string;
  }
}

declare namespace PDFKit.Mixins {
  interface PDFAttachmentOptions {
    /** AFRelationship of the file specification (pdfkit 0.15+). */
    relationship?: 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'EncryptedPayload' | 'FormData' | 'Schema' | 'Unspecified';
  }
}
