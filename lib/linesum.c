/* linesum: a lines file written and summed as it is written. */
#include "linesum.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "msg.h"
#include "tsv.h"

void
elines_copy_sum(FILE *in, const char *name, const char *copy, int uncached, totals *t)
{
	tsv_reader r;
	out o;

	if (out_open(&o, copy) < 0)
		msg_fatal(EXIT_DATA, copy, 0, "cannot open:");
	if (uncached)
		out_nocache(&o); /* a FIFO or a device: written as it is */
	tsv_init(&r, in, name);
	tsv_copy_to(&r, &o);
	einput_header(&r);
	etotals_sum(t, 0, &r, "amount", NULL, NULL);
	tsv_close(&r);
	if (out_close(&o) < 0)
		msg_fatal(EXIT_DATA, copy, 0, "cannot write:");
}

/* The writer's side (out_take): queue the full buffer, wait while the
 * queue is full, go on with a spare one (or a new one). */
static char *
_take(void *arg, char *buf, size_t len, size_t cap)
{
	linesum *s = arg;
	char *b = NULL;
	size_t i;

	pthread_mutex_lock(&s->mu);
	if (!buf) {
		s->end = 1;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		return NULL;
	}
	while (s->queued == LINESUM_QUEUE)
		pthread_cond_wait(&s->cv, &s->mu);
	i = (s->head + s->queued++) % LINESUM_QUEUE;
	s->q[i].buf = buf;
	s->q[i].len = len;
	s->q[i].cap = cap;
	pthread_cond_broadcast(&s->cv);
	for (i = 0; i < s->nspare; i++)
		if (s->spare[i].cap >= cap) {
			b = s->spare[i].buf;
			s->spare[i] = s->spare[--s->nspare];
			break;
		}
	pthread_mutex_unlock(&s->mu);
	return b ? b : malloc(cap);
}

/* The reader's side (a stream for the TSV reader): the queued buffers in
 * order; each read through goes back as a spare. */
static ssize_t
_read(void *arg, char *p, size_t size)
{
	linesum *s = arg;
	size_t n;

	if (!s->cur) {
		pthread_mutex_lock(&s->mu);
		while (s->queued == 0 && !s->end)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->queued == 0) {
			pthread_mutex_unlock(&s->mu);
			return 0;
		}
		s->cur = s->q[s->head].buf;
		s->cur_len = s->q[s->head].len;
		s->cur_cap = s->q[s->head].cap;
		s->cur_off = 0;
		s->head = (s->head + 1) % LINESUM_QUEUE;
		s->queued--;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	n = s->cur_len - s->cur_off < size ? s->cur_len - s->cur_off : size;
	memcpy(p, s->cur + s->cur_off, n);
	s->cur_off += n;
	if (s->cur_off == s->cur_len) {
		pthread_mutex_lock(&s->mu);
		if (s->nspare < LINESUM_QUEUE + 1) {
			s->spare[s->nspare].buf = s->cur;
			s->spare[s->nspare++].cap = s->cur_cap;
		} else
			free(s->cur);
		pthread_mutex_unlock(&s->mu);
		s->cur = NULL;
	}
	return (ssize_t)n;
}

static void *
_run(void *arg)
{
	linesum *s = arg;
	cookie_io_functions_t io = {.read = _read};
	FILE *fp = fopencookie(s, "r", io);

	if (!fp)
		msg_fatal(EXIT_DATA, s->path, 0, "cannot read the lines:");
	/* A small buffer: the reader's reads, larger, then go straight to
	 * _read() (unbuffered, the stream would read a byte at a time). */
	setvbuf(fp, NULL, _IOFBF, 4096);
	elines_copy_sum(fp, s->path, s->path, s->uncached, &s->t);
	fclose(fp);
	return NULL;
}

void
elinesum_start(linesum *s, out *o, const char *path, int uncached)
{
	memset(s, 0, sizeof *s);
	s->path = path;
	s->uncached = uncached;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	out_take(o, _take, s);
	if ((errno = pthread_create(&s->thread, NULL, _run, s)) != 0)
		msg_fatal(EXIT_DATA, path, 0, "cannot start a thread:");
}

void
elinesum_finish(linesum *s, const char *totals_path)
{
	static const char *const cols[] = {"lines"};
	size_t i;

	pthread_join(s->thread, NULL);
	etotals_write(&s->t, totals_path, cols, 1);
	totals_free(&s->t);
	for (i = 0; i < s->nspare; i++)
		free(s->spare[i].buf);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
}
