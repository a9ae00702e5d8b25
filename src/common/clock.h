/*
 * The monotonic clock, the one every program times itself with: it never
 * goes back, and CLOCK_MONOTONIC is the same clock in every process of a
 * machine, so the workers of a pool can compare times kept in shared memory.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

int64_t	 clock_ms(void);
int64_t	 clock_us(void);
double	 clock_secs(void);

#endif
