#!/usr/bin/env bash
# tests/e2e/filters-chunked.sh: filters.sh's every combination, exact, on
# its fixture with 30 more reviews (38 published): a product's cached set
# of several cache entries (src/api/reviewset.h), read back whole.
FILTERS_PAD=30 exec "$(dirname "$0")/filters.sh"
