"""Parse SQL in one dialect with sqlglot (Debian's python3-sqlglot): print "ok", or the error and exit 1.

Usage: python3 parse-sql.py DIALECT < query.sql
"""
import sys

import sqlglot
from sqlglot.errors import ErrorLevel

try:
    trees = sqlglot.parse(sys.stdin.read(), read=sys.argv[1], error_level=ErrorLevel.RAISE)
    if len([t for t in trees if t is not None]) != 1:
        raise ValueError(f"expected one statement, found {len(trees)}")
except Exception as error:  # noqa: BLE001 - any failure to parse is the answer
    print(str(error).splitlines()[0])
    sys.exit(1)
print("ok")
