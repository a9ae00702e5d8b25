/*
 * How every long-running program of the project is asked to stop:
 * SIGTERM, SIGINT or SIGQUIT (Debian 12's multiwatch sends SIGQUIT for
 * `-s TERM`: see src/api/main.c) call the program's handler, without
 * SA_RESTART so a blocking accept or poll returns; SIGPIPE is ignored.
 */
#ifndef STOP_H
#define STOP_H

void	 stop_on_signals(void (*)(int));

#endif
