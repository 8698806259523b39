/* gen-drop: write a synthetic but realistic drop and configuration for
 * benchmarks and large end-to-end runs.
 *
 *     gen-drop [--orders N] [--merchants M] [--period P] [--seed S]
 *              [--format tsv|csv] [--bad PPM] OUTDIR
 *
 * Writes OUTDIR/in/P/{orders,refunds,ads,weights}.EXT and
 * OUTDIR/config/{merchants,take-rates,entities,issuers,payout}.tsv.  Per order there
 * are 5% refunds, 1% ad charges and 3% weight audits; merchants are picked
 * with a skewed law (a few large sellers, a long tail); 1% of rows arrive
 * late (dated in the previous period); PPM rows per million are bad in one
 * of the ways SPEC 9 lists.  The same arguments always give the same bytes. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "money.h"
#include "msg.h"
#include "period.h"

static uint64_t rng_state;

/* splitmix64: small, fast, good enough for synthetic data. */
static uint64_t
_rand(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform integer in [0, n). */
static uint64_t
_below(uint64_t n)
{
	return _rand() % n;
}

/* Uniform double in [0, 1) (never used for money). */
static double
_unit(void)
{
	return (double)(_rand() >> 11) / 9007199254740992.0;
}

/* An output file: the shared buffered stream and its name and separator. */
struct sink {
	out o;
	const char *path;
	char sep;
};

/* Append bytes. */
static void
_put(struct sink *o, const char *s, size_t n)
{
	if (out_write(&o->o, s, n) < 0)
		msg_fatal(EXIT_DATA, o->path, 0, "out of memory");
}

/* Append a C string. */
static void
_puts(struct sink *o, const char *s)
{
	_put(o, s, strlen(s));
}

/* Append a string field followed by the separator (or newline when last). */
static void
_field(struct sink *o, const char *s, int last)
{
	_put(o, s, strlen(s));
	_put(o, last ? "\n" : &o->sep, 1);
}

/* Append an id made of a prefix and a zero-padded number. */
static void
_id(struct sink *o, char prefix, uint64_t n, int width, int last)
{
	char b[32];

	snprintf(b, sizeof b, "%c%0*llu", prefix, width, (unsigned long long)n);
	_field(o, b, last);
}

/* Append money in minor units. */
static void
_money(struct sink *o, int64_t v, int digits, int last)
{
	char b[MONEY_FMT_MAX];

	money_format(v, digits, b);
	_field(o, b, last);
}

/* Append an instant. */
static void
_time(struct sink *o, int64_t t, int last)
{
	char b[PERIOD_TIME_LEN + 1];

	period_format_time(t, b);
	_field(o, b, last);
}

/* Open dir/name. */
static void
_open(struct sink *o, const char *dir, const char *name, char sep)
{
	static char paths[8][4096];
	static int n;
	char *p = paths[n++ % 8];

	snprintf(p, 4096, "%s/%s", dir, name);
	eout_open(&o->o, p);
	o->path = p;
	o->sep = sep;
}

/* Flush and close. */
static void
_close(struct sink *o)
{
	eout_close(&o->o, o->path);
}

/* mkdir -p for two levels. */
static void
_mkdirs(const char *path)
{
	char tmp[4096];
	size_t i;

	snprintf(tmp, sizeof tmp, "%s", path);
	for (i = 1; tmp[i]; i++)
		if (tmp[i] == '/') {
			tmp[i] = '\0';
			if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
				msg_fatal(EXIT_DATA, tmp, 0, "cannot create directory:");
			tmp[i] = '/';
		}
	if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
		msg_fatal(EXIT_DATA, tmp, 0, "cannot create directory:");
}

static const char *const categories[] = {
	"electronics", "phones", "home",    "garden", "toys",	"fashion",   "shoes",
	"beauty",      "health", "sports",  "auto",   "books",	"music",     "pets",
	"baby",	       "tools",	 "kitchen", "office", "crafts", "jewellery",
};
#define NCAT (sizeof categories / sizeof categories[0])

static const char *const modes[] = {"offline", "offline_jl", "jl", "jl_merchant"};

/* Destination countries with their shares in percent. */
static const struct {
	const char *code;
	int share;
} countries[] = {
	{"US", 20}, {"RU", 10}, {"DE", 15}, {"FR", 12}, {"GB", 10},
	{"IT", 8},  {"ES", 8},	{"PL", 6},  {"LV", 3},	{"NL", 8},
};

/* Merchant attributes decided by its index. */
struct merchant {
	const char *currency;
	int digits;
};

/* Each merchant sells in one currency: 85% USD, 10% EUR, 5% JPY. */
static struct merchant
_merchant(uint64_t m)
{
	uint64_t h = (m * UINT64_C(0x9E3779B97F4A7C15)) >> 32;
	struct merchant r = {"USD", 2};

	if (h % 100 >= 95) {
		r.currency = "JPY";
		r.digits = 0;
	} else if (h % 100 >= 85) {
		r.currency = "EUR";
	}
	return r;
}

/* A skewed merchant index: a few large sellers, a long tail. */
static uint64_t
_pick_merchant(uint64_t nmerchants)
{
	double u = _unit();
	uint64_t m = (uint64_t)((double)nmerchants * u * u * u);

	return (m < nmerchants ? m : nmerchants - 1) + 1;
}

/* A price in minor units between lo and hi major units (log-uniform-ish). */
static int64_t
_price(int digits, int lo, int hi)
{
	int64_t unit = digits == 0 ? 100 : 1; /* yen prices are ~100x larger */
	int64_t scale = digits == 0 ? 1 : 100;
	double u = _unit();
	double v = lo * pow((double)hi / lo, u);

	return (int64_t)(v * (double)scale) * unit;
}

/* A row's date: inside the period, or 1% of the time in the previous one. */
static int64_t
_when(int period)
{
	int p = _below(100) == 0 ? period - 1 : period;
	int64_t a = period_start(p), b = period_end(p);

	return a + (int64_t)_below((uint64_t)(b - a));
}

/* Which way (if any) this row is bad: 0 = good. */
static int
_bad(uint64_t ppm)
{
	return ppm && _below(1000000) < ppm ? 1 + (int)_below(8) : 0;
}

/* A destination country by the shares above. */
static void
_country(struct sink *o)
{
	uint64_t r = _below(100);
	size_t i;

	for (i = 0; i < sizeof countries / sizeof countries[0]; i++) {
		if (r < (uint64_t)countries[i].share) {
			_field(o, countries[i].code, 0);
			return;
		}
		r -= (uint64_t)countries[i].share;
	}
	_field(o, "DE", 0);
}

struct opts {
	uint64_t orders, merchants, seed, bad;
	int period;
	int csv;
	const char *dir;
};

/* orders: one row per order. */
static void
_orders(const struct opts *op, const char *in)
{
	struct sink o;
	uint64_t i;

	_open(&o, in, op->csv ? "orders.csv" : "orders.tsv", op->csv ? ',' : '\t');
	_field(&o, "order_id", 0), _field(&o, "merchant_id", 0), _field(&o, "shipped_at", 0);
	_field(&o, "ship_mode", 0), _field(&o, "dest_country", 0), _field(&o, "currency", 0);
	_field(&o, "product_price", 0), _field(&o, "shipping_price", 0);
	_field(&o, "jl_cost", 0), _field(&o, "category", 1);
	for (i = 1; i <= op->orders; i++) {
		uint64_t m = _pick_merchant(op->merchants);
		struct merchant mc = _merchant(m);
		int bad = _bad(op->bad), mode = (int)_below(100);

		mode = mode < 30 ? 0 : mode < 40 ? 1 : mode < 85 ? 2 : 3;
		_id(&o, 'O', bad == 1 && i > 1 ? i - 1 : i, 10, 0); /* 1: duplicate */
		_id(&o, 'm', m, 6, 0);
		if (bad == 2)
			_field(&o, "2024-02-30T10:00:00Z", 0);
		else
			_time(&o, _when(op->period), 0);
		_field(&o, bad == 3 ? "express" : modes[mode], 0);
		_country(&o);
		_field(&o, bad == 4 ? "XXX" : mc.currency, 0);
		if (bad == 5)
			_field(&o, "1e3", 0);
		else
			_money(&o,
			       bad == 6 ? -_price(mc.digits, 1, 200) : _price(mc.digits, 1, 200),
			       mc.digits, 0);
		_money(&o,
		       mode == 1 || mode == 2 ? _price(mc.digits, 1, 10) : _price(mc.digits, 1, 15),
		       mc.digits, 0);
		if (mode == 3 || _below(2))
			_money(&o, _price(mc.digits, 1, 10), mc.digits, 0);
		else
			_field(&o, "", 0);
		if (bad == 7) /* a field short */
			_puts(&o, "\n");
		else
			_field(&o, bad == 8 ? "bad\xffutf8" : categories[_below(NCAT)], 1);
	}
	_close(&o);
}

/* refunds: 5% of orders, standing alone with the order's economics. */
static void
_refunds(const struct opts *op, const char *in)
{
	static const char *const hdr[] = {
		"refund_id", "order_id",	"merchant_id",	  "refunded_at", "reason",
		"fraction",  "nd_compensation", "shipped_at",	  "ship_mode",	 "dest_country",
		"currency",  "product_price",	"shipping_price", "category",
	};
	struct sink o;
	uint64_t i, n = op->orders / 20;
	size_t k;

	_open(&o, in, op->csv ? "refunds.csv" : "refunds.tsv", op->csv ? ',' : '\t');
	for (k = 0; k < sizeof hdr / sizeof hdr[0]; k++)
		_field(&o, hdr[k], k + 1 == sizeof hdr / sizeof hdr[0]);
	for (i = 1; i <= n; i++) {
		uint64_t m = _pick_merchant(op->merchants);
		struct merchant mc = _merchant(m);
		int mode = (int)_below(4), r = (int)_below(10), bad = _bad(op->bad);
		const char *reason = r < 3 ? "non_delivery" : r < 9 ? "quality" : "other";
		int64_t at = _when(op->period);
		char frac[16];
		uint64_t f = _below(10);

		_id(&o, 'F', i, 10, 0);
		_id(&o, 'O', 1 + _below(op->orders ? op->orders : 1), 10, 0);
		_id(&o, 'm', m, 6, 0);
		_time(&o, at, 0);
		_field(&o, reason, 0);
		if (bad == 1)
			_field(&o, "1.5", 0);
		else if (f < 7)
			_field(&o, "1", 0);
		else if (f < 9)
			_field(&o, "0.5", 0);
		else {
			snprintf(frac, sizeof frac, "0.%06llu",
				 (unsigned long long)(1 + _below(999999)));
			_field(&o, frac, 0);
		}
		if (r < 3 && mode >= 2)
			_money(&o, _price(mc.digits, 1, 5), mc.digits, 0);
		else
			_field(&o, "", 0);
		_time(&o, at - (int64_t)_below(20 * 86400), 0);
		_field(&o, modes[mode], 0);
		_country(&o);
		_field(&o, mc.currency, 0);
		_money(&o, _price(mc.digits, 1, 200), mc.digits, 0);
		_money(&o, _price(mc.digits, 1, 15), mc.digits, 0);
		_field(&o, categories[_below(NCAT)], 1);
	}
	_close(&o);
}

/* ads: 1% of orders. */
static void
_ads(const struct opts *op, const char *in)
{
	struct sink o;
	uint64_t i, n = op->orders / 100;

	_open(&o, in, op->csv ? "ads.csv" : "ads.tsv", op->csv ? ',' : '\t');
	_field(&o, "charge_id", 0), _field(&o, "merchant_id", 0), _field(&o, "spent_on", 0);
	_field(&o, "currency", 0), _field(&o, "amount", 1);
	for (i = 1; i <= n; i++) {
		uint64_t m = _pick_merchant(op->merchants);
		struct merchant mc = _merchant(m);
		char date[PERIOD_DATE_LEN + 1];

		_id(&o, 'A', i, 10, 0);
		_id(&o, 'm', m, 6, 0);
		period_format_date(_when(op->period), date);
		_field(&o, date, 0);
		_field(&o, mc.currency, 0);
		_money(&o, _price(mc.digits, 1, 100) * (_below(50) == 0 ? -1 : 1), mc.digits, 1);
	}
	_close(&o);
}

/* weights: 3% of orders; a third of them over the tolerance. */
static void
_weights(const struct opts *op, const char *in)
{
	struct sink o;
	uint64_t i, n = op->orders * 3 / 100;

	_open(&o, in, op->csv ? "weights.csv" : "weights.tsv", op->csv ? ',' : '\t');
	_field(&o, "audit_id", 0), _field(&o, "order_id", 0), _field(&o, "merchant_id", 0);
	_field(&o, "audited_at", 0), _field(&o, "currency", 0), _field(&o, "declared_g", 0);
	_field(&o, "actual_g", 0), _field(&o, "cost_declared", 0), _field(&o, "cost_actual", 1);
	for (i = 1; i <= n; i++) {
		uint64_t m = _pick_merchant(op->merchants);
		struct merchant mc = _merchant(m);
		uint64_t declared = 50 + _below(2000), actual = declared;
		int64_t cost = _price(mc.digits, 1, 10);
		char g[24];

		if (_below(3) == 0)
			actual += declared / 10 + 5 + _below(500);
		else
			actual += _below(declared / 10 + 1);
		_id(&o, 'W', i, 10, 0);
		_id(&o, 'O', 1 + _below(op->orders ? op->orders : 1), 10, 0);
		_id(&o, 'm', m, 6, 0);
		_time(&o, _when(op->period), 0);
		_field(&o, mc.currency, 0);
		snprintf(g, sizeof g, "%llu", (unsigned long long)declared);
		_field(&o, g, 0);
		snprintf(g, sizeof g, "%llu", (unsigned long long)actual);
		_field(&o, g, 0);
		_money(&o, cost, mc.digits, 0);
		_money(&o, cost + cost * (int64_t)(actual - declared) / (int64_t)declared,
		       mc.digits, 1);
	}
	_close(&o);
}

/* config/: merchants, take rates, entities, issuers, payout minimums. */
static void
_config(const struct opts *op, const char *dir)
{
	static const char *const delays[] = {"0", "7", "14", "14", "30"};
	struct sink o;
	uint64_t m;
	size_t k;

	_open(&o, dir, "merchants.tsv", '\t');
	_puts(&o, "merchant_id\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\t"
		  "payout_delay_days\tmin_payout\tpayout_ok\tfrozen\n");
	for (m = 1; m <= op->merchants; m++) {
		char name[64];
		uint64_t h = _rand();

		_id(&o, 'm', m, 6, 0);
		snprintf(name, sizeof name, "Merchant %06llu Ltd", (unsigned long long)m);
		_field(&o, name, 0);
		_field(&o, h % 1000 == 0 ? "" : "1 Market Street", 0); /* 0.1% incomplete */
		_field(&o, "1010", 0);
		_field(&o, "Riga", 0);
		_field(&o, "LV", 0);
		_id(&o, 'V', m, 11, 0);
		_field(&o, delays[(h >> 10) % 5], 0);
		_field(&o, (h >> 20) % 10 == 0 ? "50" : "", 0);
		_field(&o, (h >> 30) % 100 == 0 ? "0" : "1", 0);
		_field(&o, (h >> 40) % 200 == 0 ? "1" : "0", 1);
	}
	_close(&o);

	_open(&o, dir, "take-rates.tsv", '\t');
	_puts(&o, "merchant_id\tcategory\tvalid_from\trate\n");
	_puts(&o, "*\t*\t2020-01-01\t0.15\n");
	for (k = 0; k < 5; k++) {
		_field(&o, "*", 0);
		_field(&o, categories[k], 0);
		_field(&o, "2023-06-01", 0);
		_field(&o, k % 2 ? "0.12" : "0.08", 1);
	}
	for (m = 1; m <= op->merchants; m += 100) {
		_id(&o, 'm', m, 6, 0);
		_field(&o, "*", 0);
		_field(&o, "2024-01-01", 0);
		_field(&o, "0.1", 1);
	}
	_close(&o);

	_open(&o, dir, "entities.tsv", '\t');
	_puts(&o, "rule\tentity\tprefix\n");
	_puts(&o, "type:AD\tSIA\tSIA\ntype:JLD\tSIA\tSIA\ntype:IW\tSIA\tSIA\n");
	_puts(&o, "country:US\tUSA\tUSA\ncountry:RU\tJMT\tJMT\n*\tSIA\tSIA\n");
	_close(&o);

	/* The issuing entities' details for the documents (SPEC 15). */
	_open(&o, dir, "issuers.tsv", '\t');
	_puts(&o,
	      "entity\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\tregistration\n");
	_puts(&o, "JMT\tSynthetic Marketplace JMT Ltd\t1 Synthetic Road\t00000\tLimassol\tCY\t"
		  "CY00000000X\t000000\n");
	_puts(&o, "SIA\tSynthetic Marketplace SIA\tSintetiska iela 1\tLV-1050\tRiga\tLV\t"
		  "LV40000000000\t40000000000\n");
	_puts(&o, "USA\tSynthetic Marketplace USA Inc.\t1 Synthetic Street\t10001\tNew York\tUS\t"
		  "\t00-0000000\n");
	_close(&o);

	_open(&o, dir, "payout.tsv", '\t');
	_puts(&o, "currency\tmin_payout\nUSD\t20.00\nEUR\t20.00\nJPY\t2000\n");
	_close(&o);
}

static const char usage[] =
	"Usage: gen-drop [--orders N] [--merchants M] [--period P] [--seed S]\n"
	"                [--format tsv|csv] [--bad PPM] OUTDIR\n"
	"Write a synthetic drop OUTDIR/in/P/ and configuration OUTDIR/config/.\n"
	"Defaults: 100000 orders, 100000 merchants, period 2024-03-1, seed 1, tsv,\n"
	"1000 bad rows per million.\n"
	"\n"
	"Example:\n"
	"  gen-drop --orders 1000000 --format csv bench-data/drop\n";

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"orders", required_argument, NULL, 'n'},
		{"merchants", required_argument, NULL, 'm'},
		{"period", required_argument, NULL, 'p'},
		{"seed", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{"bad", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct opts op = {100000, 100000, 1, 1000, 0, 0, NULL};
	char in[4096], cfg[4096], pid[PERIOD_ID_LEN + 1];
	int c;

	msg_setprog(argv[0]);
	period_parse("2024-03-1", 9, &op.period);
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'n': op.orders = strtoull(optarg, NULL, 10); break;
		case 'm': op.merchants = strtoull(optarg, NULL, 10); break;
		case 's': op.seed = strtoull(optarg, NULL, 10); break;
		case 'b': op.bad = strtoull(optarg, NULL, 10); break;
		case 'f': op.csv = strcmp(optarg, "csv") == 0; break;
		case 'p': op.period = msg_period_arg("--period", optarg); break;
		case 'h': msg_help(usage);
		default: msg_usage("unknown option");
		}
	}
	if (optind + 1 != argc || op.merchants == 0)
		msg_usage("one OUTDIR is needed (and at least one merchant)");
	op.dir = argv[optind];
	rng_state = op.seed;
	period_format(op.period, pid);
	snprintf(in, sizeof in, "%s/in/%s", op.dir, pid);
	snprintf(cfg, sizeof cfg, "%s/config", op.dir);
	_mkdirs(in);
	_mkdirs(cfg);
	_config(&op, cfg);
	_orders(&op, in);
	_refunds(&op, in);
	_ads(&op, in);
	_weights(&op, in);
	return 0;
}
