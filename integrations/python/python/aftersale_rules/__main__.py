"""``python -m aftersale_rules convert HISTORY.ndjson HISTORY.parquet [--row-group-rows N]``"""

import argparse
import sys

from .history import ROW_GROUP_ROWS, convert


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aftersale_rules")
    commands = parser.add_subparsers(dest="command", required=True)
    to_parquet = commands.add_parser("convert", help="an NDJSON history as Parquet (one row per record, zstd)")
    to_parquet.add_argument("ndjson")
    to_parquet.add_argument("parquet")
    to_parquet.add_argument("--row-group-rows", type=int, default=ROW_GROUP_ROWS)
    args = parser.parse_args(argv)
    rows = convert(args.ndjson, args.parquet, args.row_group_rows)
    print(f"{rows} records written to {args.parquet}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
