/* fields: the floor of the TSV stages, for make bench: read TSV files with
 * the filters' own reader (lib/tsv: rows and fields split, nothing else
 * done) and print how many rows and fields were read.
 *
 *     fields FILE...
 *
 * Every stage reads its input this way and then does its work: the
 * difference between a stage and fields on the same input is what the
 * stage's own work costs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "tsv.h"

static const char usage[] = "Usage: fields FILE...\n"
			    "\n"
			    "Read TSV files with the filters' reader and print the rows and\n"
			    "fields read: the floor of a stage in make bench.\n"
			    "\n"
			    "Example:\n"
			    "  fields bench-data/drop-1000000-tsv/in/2024-03-1/orders.tsv\n";

int
main(int argc, char **argv)
{
	long rows = 0, nfields = 0;
	int k, rc;

	msg_setprog(argv[0]);
	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		msg_help(usage);
	if (argc < 2)
		msg_usage("no input files");
	for (k = 1; k < argc; k++) {
		FILE *fp = fopen(argv[k], "r");
		tsv_reader r;

		if (!fp)
			msg_fatal(EXIT_DATA, argv[k], 0, "cannot open:");
		tsv_init(&r, fp, argv[k]);
		r.keep_raw = 1;
		while ((rc = tsv_read(&r)) == TSV_ROW) {
			rows++;
			nfields += (long)r.nfield;
		}
		if (rc != TSV_EOF)
			msg_fatal(EXIT_DATA, argv[k], r.line, "%s", tsv_strerror(rc));
		tsv_close(&r);
		fclose(fp);
	}
	printf("%ld rows, %ld fields\n", rows, nfields);
	return EXIT_OK;
}
