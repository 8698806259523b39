/* measure: run a command and report its wall time, CPU time and peak
 * resident memory, so that each stage of a pipeline can be measured where
 * it runs:
 *
 *     measure LABEL [--out FILE] -- COMMAND [ARG...]
 *
 * The command's stdin, stdout and stderr are its own; one TSV line
 * "label wall_s user_s sys_s maxrss_kib" is appended to FILE (default:
 * stderr).  The exit status is the command's.  A SIGTERM, SIGINT or SIGHUP
 * sent to measure is passed on to the command (a pipeline stopping a stage
 * by its pid stops the stage). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child;

/* Pass a stopping signal on to the command. */
static void
_forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

/* Seconds of a timeval. */
static double
_secs(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	const char *label, *out = NULL;
	struct timespec t0, t1;
	struct rusage ru;
	int i = 2, status;
	pid_t pid;
	FILE *fp;

	static const char usage[] =
		"Usage: measure LABEL [--out FILE] -- COMMAND [ARG...]\n"
		"\n"
		"Run COMMAND and append one TSV line to FILE (default: stderr): LABEL, wall\n"
		"seconds, user and system CPU seconds, peak resident memory in KiB.  The\n"
		"command's stdin, stdout and stderr are its own; the exit status is its.\n"
		"\n"
		"Example:\n"
		"  measure normalize --out times.tsv -- normalize-orders in/2024-03-1 > "
		"/dev/null\n";

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		if (fputs(usage, stdout) == EOF || fflush(stdout) != 0 || fclose(stdout) != 0) {
			perror("measure: <stdout>");
			return 1;
		}
		return 0;
	}
	if (argc < 4) {
		fprintf(stderr, "measure: usage: measure LABEL [--out FILE] -- COMMAND [ARG...]\n"
				"Try 'measure --help' for more information.\n");
		return 2;
	}
	label = argv[1];
	if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
		out = argv[i + 1];
		i += 2;
	}
	if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
		fprintf(stderr, "usage: measure LABEL [--out FILE] -- COMMAND [ARG...]\n");
		return 2;
	}
	i++;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	signal(SIGTERM, _forward);
	signal(SIGHUP, _forward);
	if (signal(SIGINT, SIG_IGN) != SIG_IGN)
		signal(SIGINT, _forward);
	pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 1;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (signal(SIGINT, SIG_IGN) != SIG_IGN)
			signal(SIGINT, SIG_DFL);
		execvp(argv[i], argv + i);
		fprintf(stderr, "measure: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	child = pid;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno == EINTR)
			continue;
		perror("measure: wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fp = out ? fopen(out, "a") : stderr;
	if (!fp) {
		perror(out);
		return 1;
	}
	fprintf(fp, "%s\t%.3f\t%.3f\t%.3f\t%ld\n", label,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		_secs(ru.ru_utime), _secs(ru.ru_stime), ru.ru_maxrss);
	if (out)
		fclose(fp);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
