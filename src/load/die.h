/*
 * How the loader gives up: a message on stderr and exit status 1.  Every
 * module of the loader dies this way; only bad rows are survived.
 */
#ifndef DIE_H
#define DIE_H

void	 die(const char *, ...);

#endif
