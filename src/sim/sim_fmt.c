#include "config.h"

#include "sim/sim_vm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Characters, not bytes, count for widths. */
static size_t
utf8_len(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

static void
put_fill(sim_buf *b, uint32_t fill, size_t n)
{
	char enc[4];
	size_t len;
	if (fill < 0x80) {
		enc[0] = (char)fill;
		len = 1;
	} else if (fill < 0x800) {
		enc[0] = (char)(0xc0 | (fill >> 6));
		enc[1] = (char)(0x80 | (fill & 0x3f));
		len = 2;
	} else if (fill < 0x10000) {
		enc[0] = (char)(0xe0 | (fill >> 12));
		enc[1] = (char)(0x80 | ((fill >> 6) & 0x3f));
		enc[2] = (char)(0x80 | (fill & 0x3f));
		len = 3;
	} else {
		enc[0] = (char)(0xf0 | (fill >> 18));
		enc[1] = (char)(0x80 | ((fill >> 12) & 0x3f));
		enc[2] = (char)(0x80 | ((fill >> 6) & 0x3f));
		enc[3] = (char)(0x80 | (fill & 0x3f));
		len = 4;
	}
	for (size_t i = 0; i < n; i++)
		sim_buf_put(b, enc, len);
}

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
		sim_value_debug(&tmp, v, p->precision, p->alternate, 0);
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
	const char *s = tmp.s ? tmp.s : "";
	size_t chars = utf8_len(s, tmp.len);
	size_t width = p->width > 0 ? (size_t)p->width : 0;
	if (chars >= width) {
		sim_buf_put(out, s, tmp.len);
	} else if (p->zero && numeric) {
		/* Zero padding goes after the sign and the 0x prefix. */
		size_t skip = tmp.len && (s[0] == '-' || s[0] == '+') ? 1 : 0;
		if (p->alternate && p->radix && p->radix != 'e')
			skip += 2;
		sim_buf_put(out, s, skip);
		put_fill(out, '0', width - chars);
		sim_buf_put(out, s + skip, tmp.len - skip);
	} else {
		size_t pad = width - chars;
		int align = p->align ? p->align : (numeric ? '>' : '<');
		size_t left = align == '>' ? pad : align == '^' ? pad / 2 : 0;
		put_fill(out, p->fill, left);
		sim_buf_put(out, s, tmp.len);
		put_fill(out, p->fill, pad - left);
	}
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
