"""The what-if report as a Spark job: ``spark-submit whatif_job.py --help`` (submit.sh wraps it)."""

import sys

from aftersale_rules.spark import main

if __name__ == "__main__":
    sys.exit(main())
