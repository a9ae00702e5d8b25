#!/usr/bin/env bash
# tests/e2e/filters-big.sh: filters.sh's every combination, exact, on its
# fixture with 20 more reviews: more than a product's cached set holds
# (src/api/reviewset.h), so each list is its own statement's answer.
FILTERS_PAD=20 exec "$(dirname "$0")/filters.sh"
