/*
 * ctl-audit.c — casetermctl audit verify and audit show.
 *
 * verify walks caseterm.audit_log in chain order (seq) and checks, with its
 * own SHA-256 rather than the database's functions, that every row's
 * row_hash is the hash of the row's canonical text (sql/020_audit.sql
 * describes it), that its prev_hash is the row_hash of the row before, that
 * no seq is missing, and that the chain head names the last row.  It reads
 * one REPEATABLE READ snapshot, in batches through a cursor, so it can run
 * while clerks work.  The first broken row is reported and the exit status
 * is 1; an intact chain prints the head hash, to be kept somewhere else.
 *
 * show lists rows through caseterm.audit_search(), newest first.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* ---------------------------------------------------------------- SHA-256 */

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;
	unsigned char	buf[64];
	size_t		used;
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t	 w[64], a, b, d, e, f, g, h, cc, t1, t2;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
		    (w[i - 15] >> 3)) + w[i - 7] + (ROR(w[i - 2], 17) ^
		    ROR(w[i - 2], 19) ^ (w[i - 2] >> 10));
	a = c->h[0]; b = c->h[1]; cc = c->h[2]; d = c->h[3];
	e = c->h[4]; f = c->h[5]; g = c->h[6]; h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & cc) ^ (b & cc));
		h = g; g = f; f = e; e = d + t1;
		d = cc; cc = b; b = a; a = t1 + t2;
	}
	c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
	c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

static void
sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
	    0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(c->h, iv, sizeof iv);
	c->len = 0;
	c->used = 0;
}

static void
sha256_update(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char	*p = data;
	size_t			 k;

	c->len += n;
	while (n > 0) {
		k = 64 - c->used < n ? 64 - c->used : n;
		memcpy(c->buf + c->used, p, k);
		c->used += k;
		p += k;
		n -= k;
		if (c->used == 64) {
			sha256_block(c, c->buf);
			c->used = 0;
		}
	}
}

static void
sha256_final(struct sha256 *c, unsigned char out[32])
{
	uint64_t	 bits = c->len * 8;
	unsigned char	 pad = 0x80, zero = 0, lenb[8];
	int		 i;

	sha256_update(c, &pad, 1);
	while (c->used != 56)
		sha256_update(c, &zero, 1);
	for (i = 0; i < 8; i++)
		lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_update(c, lenb, 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

static void
hex32(const unsigned char in[32], char out[65])
{
	static const char	 digits[] = "0123456789abcdef";
	int			 i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[64] = '\0';
}

/* One field of the canonical text: "-" for NULL, else "<bytes>:<text>". */
static void
canon_field(struct sha256 *c, const PGresult *res, int row, int col)
{
	char		 len[24];
	const char	*v;

	if (PQgetisnull(res, row, col)) {
		sha256_update(c, "-", 1);
		return;
	}
	v = PQgetvalue(res, row, col);
	snprintf(len, sizeof len, "%d:", PQgetlength(res, row, col));
	sha256_update(c, len, strlen(len));
	sha256_update(c, v, (size_t)PQgetlength(res, row, col));
}

/* ---------------------------------------------------------------- verify */

/* The columns, in canonical order: seq id at user_id session_id source
 * action object detail prev_hash; then row_hash. */
#define AUDIT_COLUMNS "seq, id, (extract(epoch FROM at) * 1000000)::bigint, " \
	"user_id, session_id, source, action, object, detail::text, " \
	"encode(prev_hash, 'hex'), encode(row_hash, 'hex')"
enum { C_SEQ, C_ID, C_AT, C_USER, C_SESSION, C_SOURCE, C_ACTION, C_OBJECT,
    C_DETAIL, C_PREV, C_HASH, C_COUNT };

static int
audit_broken(const char *id, const char *seq, const char *problem,
    const char *what)
{
	fprintf(stderr, "casetermctl: audit trail broken at row id %s (seq %s): "
	    "%s: %s\n", id, seq, problem, what);
	return 1;
}

static int
audit_verify(struct ctl *ctl, int argc, char **argv)
{
	PGresult	*res;
	struct sha256	 c;
	unsigned char	 digest[32];
	char		 last[65], calc[65], what[512];
	long long	 seq, expect = 1, rows = 0;
	int		 i, n, ret = 0;

	if (argc != 1) {
		fprintf(stderr, "usage: casetermctl audit verify\n");
		return 2;
	}
	memset(last, '0', 64);
	last[64] = '\0';
	PQclear(ctl_exec(ctl, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	    0, NULL));
	res = ctl_exec(ctl, "SELECT id, seq FROM caseterm.audit_log "
	    "WHERE seq IS NULL OR prev_hash IS NULL OR row_hash IS NULL "
	    "ORDER BY id LIMIT 1", 0, NULL);
	if (PQntuples(res) == 1) {
		ret = audit_broken(PQgetvalue(res, 0, 0), PQgetisnull(res, 0, 1) ?
		    "none" : PQgetvalue(res, 0, 1), "outside_chain",
		    "the row has no place in the hash chain: it was inserted "
		    "with the chain trigger disabled");
		PQclear(res);
		goto out;
	}
	PQclear(res);
	PQclear(ctl_exec(ctl, "DECLARE audit_walk NO SCROLL CURSOR FOR SELECT "
	    AUDIT_COLUMNS " FROM caseterm.audit_log ORDER BY seq", 0, NULL));
	for (;;) {
		res = ctl_exec(ctl, "FETCH 5000 FROM audit_walk", 0, NULL);
		if ((n = PQntuples(res)) == 0) {
			PQclear(res);
			break;
		}
		for (i = 0; i < n; i++) {
			const char *id = PQgetvalue(res, i, C_ID);
			const char *s = PQgetvalue(res, i, C_SEQ);

			seq = strtoll(s, NULL, 10);
			if (seq != expect) {
				snprintf(what, sizeof what, "rows with seq %lld "
				    "to %lld are missing (deleted)", expect,
				    seq - 1);
				ret = audit_broken(id, s, "seq_gap", what);
			} else if (strcmp(PQgetvalue(res, i, C_PREV), last) != 0) {
				snprintf(what, sizeof what, "prev_hash %.16s... "
				    "is not the row_hash %.16s... of the row "
				    "before: that row's hash was rewritten or rows "
				    "were removed", PQgetvalue(res, i, C_PREV),
				    last);
				ret = audit_broken(id, s, "link_broken", what);
			}
			if (ret != 0)
				break;
			sha256_init(&c);
			sha256_update(&c, "caseterm-audit-1", 16);
			canon_field(&c, res, i, C_SEQ);
			canon_field(&c, res, i, C_ID);
			canon_field(&c, res, i, C_AT);
			canon_field(&c, res, i, C_USER);
			canon_field(&c, res, i, C_SESSION);
			canon_field(&c, res, i, C_SOURCE);
			canon_field(&c, res, i, C_ACTION);
			canon_field(&c, res, i, C_OBJECT);
			canon_field(&c, res, i, C_DETAIL);
			canon_field(&c, res, i, C_PREV);
			sha256_final(&c, digest);
			hex32(digest, calc);
			if (strcmp(calc, PQgetvalue(res, i, C_HASH)) != 0) {
				snprintf(what, sizeof what, "row_hash %.16s... "
				    "does not match the row's content (hash "
				    "%.16s...): the row was changed after it was "
				    "written", PQgetvalue(res, i, C_HASH), calc);
				ret = audit_broken(id, s, "content_changed", what);
				break;
			}
			snprintf(last, sizeof last, "%s", calc);
			expect = seq + 1;
			rows++;
		}
		PQclear(res);
		if (ret != 0)
			goto out;
	}
	res = ctl_exec(ctl, "SELECT seq, encode(row_hash, 'hex') "
	    "FROM caseterm.audit_chain_head", 0, NULL);
	if (PQntuples(res) != 1) {
		fprintf(stderr, "casetermctl: the audit chain head is missing\n");
		ret = 1;
	} else if (strtoll(PQgetvalue(res, 0, 0), NULL, 10) != expect - 1) {
		snprintf(what, sizeof what, "the chain head is at seq %s but the "
		    "last row is seq %lld: the last rows were deleted",
		    PQgetvalue(res, 0, 0), expect - 1);
		snprintf(calc, sizeof calc, "%lld", expect);
		ret = audit_broken("(none)", calc, "tail_missing", what);
	} else if (strcmp(PQgetvalue(res, 0, 1), last) != 0) {
		snprintf(calc, sizeof calc, "%lld", expect - 1);
		ret = audit_broken("(last)", calc, "head_mismatch",
		    "the chain head's hash is not the last row's row_hash");
	} else
		printf("audit trail intact: %lld rows, head seq %lld, hash %s\n",
		    rows, expect - 1, last);
	PQclear(res);
out:
	PQclear(ctl_exec(ctl, "ROLLBACK", 0, NULL));
	return ret;
}

/* ---------------------------------------------------------------- show */

static int
audit_show(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "case", required_argument, NULL, 'c' },
		{ "person", required_argument, NULL, 'p' },
		{ "unit", required_argument, NULL, 'U' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 't' },
		{ "action", required_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*p[8] = { NULL };
	PGresult	*res;
	int		 ch, i;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "u:c:p:U:s:t:a:n:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'u': p[0] = optarg; break;
		case 'c': p[1] = optarg; break;
		case 'p': p[2] = optarg; break;
		case 'U': p[3] = optarg; break;
		case 's': p[4] = optarg; break;
		case 't': p[5] = optarg; break;
		case 'a': p[6] = optarg; break;
		case 'n': p[7] = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	/* Dates without a zone are China's. */
	PQclear(ctl_exec(ctl, "SET TimeZone = 'Asia/Shanghai'", 0, NULL));
	if ((res = ctl_run(ctl, "SELECT seq, to_char(at, 'YYYY-MM-DD HH24:MI:SS'), "
	    "coalesce(login, '-'), source, action, coalesce(object, '-'), "
	    "detail::text FROM caseterm.audit_search($1, $2, $3::bigint, $4, "
	    "$5::timestamptz, $6::timestamptz, $7, coalesce($8::int, 50)) "
	    "ORDER BY seq", 8, p)) == NULL)
		return 1;
	for (i = 0; i < PQntuples(res); i++)
		printf("%s  %s  %s  %s  %s  %s  %s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
		    PQgetvalue(res, i, 5), PQgetvalue(res, i, 6));
	PQclear(res);
	return 0;
usage:
	fprintf(stderr, "usage: casetermctl audit show [--user LOGIN] "
	    "[--case CASE-NO] [--person ID] [--unit CODE] [--since DATE] "
	    "[--until DATE] [--action ACTION] [--limit N]\n");
	return 2;
}

int
ctl_audit(struct ctl *ctl, int argc, char **argv)
{
	ctl_admin_session(ctl);
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return audit_verify(ctl, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return audit_show(ctl, argc - 1, argv + 1);
	fprintf(stderr, "usage: casetermctl audit verify\n"
	    "       casetermctl audit show [--user LOGIN] [--case CASE-NO] "
	    "[--since DATE] ...\n");
	return 2;
}
