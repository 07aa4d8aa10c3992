#include "config.h"

#include "sim/sim_vm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
fmt_radix(sim_buf *b, sim_value v, const lang_fmt_piece *p)
{
	uint64_t u = v.as.u;
	/* Negative numbers print their two's complement in their width. */
	if (lang_itype_signed(v.itype) && v.as.i < 0) {
		static const uint8_t bits[LANG_IT_COUNT] = {
			[LANG_IT_I8] = 8, [LANG_IT_I16] = 16, [LANG_IT_I32] = 32,
		};
		int w = bits[v.itype];
		if (v.itype == LANG_IT_INFER)
			w = 32;
		if (w && w < 64)
			u &= (UINT64_C(1) << w) - 1;
	}
	if (p->alternate) {
		const char *pre = p->radix == 'b'   ? "0b"
		                  : p->radix == 'o' ? "0o"
		                                    : "0x";
		sim_buf_put(b, pre, 2);
	}
	if (p->radix == 'x' || p->radix == 'X') {
		sim_buf_printf(b, p->radix == 'x' ? "%llx" : "%llX",
		               (unsigned long long)u);
	} else if (p->radix == 'o') {
		sim_buf_printf(b, "%llo", (unsigned long long)u);
	} else {
		char tmp[65];
		int n = 0;
		do {
			tmp[n++] = (char)('0' + (u & 1));
			u >>= 1;
		} while (u);
		while (n)
			sim_buf_putc(b, tmp[--n]);
	}
}

static void
fmt_exp(sim_buf *b, double f, int precision)
{
	if (f == 0) {
		sim_buf_put(b, "0e0", 3);
		return;
	}
	char tmp[64];
	if (precision >= 0) {
		snprintf(tmp, sizeof tmp, "%.*e", precision > 40 ? 40 : precision, f);
	} else {
		for (int prec = 0; prec <= 16; prec++) {
			snprintf(tmp, sizeof tmp, "%.*e", prec, f);
			if (strtod(tmp, NULL) == f)
				break;
		}
	}
	char *e = strchr(tmp, 'e');
	if (!e) {
		sim_buf_put(b, tmp, strlen(tmp));
		return;
	}
	sim_buf_put(b, tmp, (size_t)(e - tmp));
	sim_buf_printf(b, "e%d", atoi(e + 1));
}

static const char *
fmt_one(sim_buf *out, const lang_fmt_piece *p, sim_value v)
{
	sim_buf tmp = {0};
	int numeric = v.tag == SIM_INT || v.tag == SIM_FLOAT;
	if (p->radix == 'e') {
		if (!numeric)
			return "`{:e}` needs a number";
		fmt_exp(&tmp, v.tag == SIM_FLOAT ? v.as.f : (double)v.as.i,
		        p->precision);
	} else if (p->radix) {
		if (v.tag != SIM_INT) {
			sim_buf_free(&tmp);
			return "`{:x}`, `{:b}` and `{:o}` need an integer";
		}
		fmt_radix(&tmp, v, p);
	} else if (p->debug) {
		/* Debug pads each number inside on its own. */
		sim_value_debug(out, v, p, 0);
		sim_buf_free(&tmp);
		return NULL;
	} else {
		if (v.tag == SIM_STR && p->precision >= 0) {
			/* {:.N} on a string keeps the first N characters. */
			sim_str *s = (sim_str *)v.as.o;
			size_t i = 0, chars = 0;
			while (i < s->len && chars < (size_t)p->precision) {
				i++;
				while (i < s->len &&
				       ((unsigned char)s->data[i] & 0xc0) == 0x80)
					i++;
				chars++;
			}
			sim_buf_put(&tmp, s->data, i);
		} else {
			sim_value_display(&tmp, v, p->precision);
		}
	}
	if (p->sign == '+' && numeric && !(tmp.len && tmp.s[0] == '-')) {
		sim_buf signed_buf = {0};
		sim_buf_putc(&signed_buf, '+');
		sim_buf_put(&signed_buf, tmp.s ? tmp.s : "", tmp.len);
		sim_buf_free(&tmp);
		tmp = signed_buf;
	}
	sim_fmt_pad(out, tmp.s ? tmp.s : "", tmp.len, p, numeric);
	sim_buf_free(&tmp);
	return NULL;
}

const char *
sim_fmt_apply(sim_buf *b, const lang_format *f, const sim_value *args)
{
	for (uint32_t i = 0; i < f->npieces; i++) {
		const lang_fmt_piece *p = &f->pieces[i];
		if (!p->is_arg) {
			sim_buf_put(b, p->text, p->len);
			continue;
		}
		const char *err = fmt_one(b, p, args[p->arg]);
		if (err)
			return err;
	}
	return b->oom ? "out of memory while formatting" : NULL;
}
