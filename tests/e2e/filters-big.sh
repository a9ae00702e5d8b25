#!/usr/bin/env bash
# tests/e2e/filters-big.sh: filters.sh's every combination, exact, on its
# fixture with 60 more reviews (52 published, 64 in all): more than a
# product's cached set holds (src/api/reviewset.h), so each list is its own
# statement's answer.
FILTERS_PAD=60 FILTERS_SET=0 exec "$(dirname "$0")/filters.sh"
