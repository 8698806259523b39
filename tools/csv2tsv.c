/* csv2tsv: read a CSV file back through libcsv (lib/csvin) and write each
 * record as a TSV row, its fields escaped (\\, \t, \n, \r), for the tests
 * that check what a CSV file holds (a billing call):
 *
 *     csv2tsv FILE
 *
 * A UTF-8 BOM at the start is dropped; a record with a quote error stops
 * with status 1, naming its line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csvin.h"
#include "msg.h"
#include "out.h"
#include "text.h"

int
main(int argc, char **argv)
{
	csvin in;
	csvin_record rec;
	text_buf esc = {0};
	out o;
	int rc;
	size_t i;

	msg_setprog(argv[0]);
	if (argc != 2)
		msg_usage("usage: csv2tsv FILE");
	if (csvin_open(&in, argv[1]) < 0)
		msg_fatal(EXIT_DATA, argv[1], 0, "cannot open:");
	out_init(&o, 1);
	while ((rc = csvin_next(&in, &rec)) == CSVIN_RECORD) {
		if (rec.malformed)
			msg_fatal(EXIT_DATA, argv[1], rec.line, "malformed CSV record");
		for (i = 0; i < rec.nfield; i++) {
			esc.len = 0;
			if (text_escape(&esc, rec.field[i], rec.flen[i]) < 0)
				msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
			eout_write(&o, esc.p ? esc.p : "", esc.len);
			eout_puts(&o, i + 1 < rec.nfield ? "\t" : "\n");
		}
	}
	if (rc < 0)
		msg_fatal(EXIT_DATA, argv[1], 0, "%s",
			  rc == CSVIN_ENOMEM ? "out of memory" : strerror(errno));
	csvin_close(&in);
	text_free(&esc);
	eout_close(&o, "<stdout>");
	return EXIT_OK;
}
