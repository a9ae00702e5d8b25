/*
 * The loader's CSV reader (src/load/csv.c) on exact bytes fed through a
 * pipe or a file: quotes and doubled quotes, newlines inside fields,
 * CRLF, a missing final newline, a 1 MB field, a record longer than the
 * buffer, malformed quoting; and invalid UTF-8, which the reader passes
 * through as bytes and the loader's field check (field.c) rejects.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "csv.h"
#include "field.h"

static struct csv	 c;
static FILE		*tmp;

/* A reader over the bytes s (n of them), with a buffer of cap bytes. */
static void
open_bytes(const char *s, size_t n, size_t cap)
{
	tmp = tmpfile();
	ck_assert_ptr_nonnull(tmp);
	ck_assert_uint_eq(fwrite(s, 1, n, tmp), n);
	ck_assert_int_eq(fflush(tmp), 0);
	rewind(tmp);
	ck_assert_int_eq(csv_open(&c, fileno(tmp), cap), 0);
}
#define OPEN(lit, cap)	open_bytes(lit, sizeof(lit) - 1, cap)

static void
done(void)
{
	ck_assert_int_eq(csv_next(&c), 0);
	csv_close(&c);
	fclose(tmp);
}

/* The next record must have these fields (NULL ends the list). */
static void
expect_record(long line, const char *const *want, const int *quoted)
{
	int	 i;

	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_msg(c.error == NULL, "line %ld: %s", line, c.error);
	ck_assert_int_eq(c.rec_line, line);
	for (i = 0; want[i] != NULL; i++) {
		ck_assert_int_lt(i, c.nfields);
		ck_assert_uint_eq(c.field[i].len, strlen(want[i]));
		ck_assert_mem_eq(c.field[i].s, want[i], strlen(want[i]));
		ck_assert_int_eq(c.field[i].s[c.field[i].len], '\0');
		if (quoted != NULL)
			ck_assert_int_eq(c.field[i].quoted, quoted[i]);
	}
	ck_assert_int_eq(c.nfields, i);
}

START_TEST(plain_records)
{
	OPEN("id,name\n1,ann\n2,\n", 1024);
	expect_record(1, (const char *const[]){ "id", "name", NULL }, NULL);
	expect_record(2, (const char *const[]){ "1", "ann", NULL }, NULL);
	expect_record(3, (const char *const[]){ "2", "", NULL }, NULL);
	done();
}
END_TEST

/* Quoted fields: commas inside, doubled quotes, "null" quoted or not. */
START_TEST(quoted_fields)
{
	OPEN("\"a,b\",\"say \"\"hi\"\"\",null,\"null\",\"\"\n", 1024);
	expect_record(1, (const char *const[]){ "a,b", "say \"hi\"", "null",
	    "null", "", NULL }, (const int[]){ 1, 1, 0, 1, 1 });
	ck_assert_int_eq(field_null(&c.field[2]), 1);
	ck_assert_int_eq(field_null(&c.field[3]), 0);
	done();
}
END_TEST

/* A newline inside quotes is text; the next record's line counts it. */
START_TEST(newline_in_field)
{
	OPEN("1,\"two\nlines\",x\n2,\"three\n\nlines\"\n3,y\n", 1024);
	expect_record(1, (const char *const[]){ "1", "two\nlines", "x", NULL }, NULL);
	expect_record(3, (const char *const[]){ "2", "three\n\nlines", NULL }, NULL);
	expect_record(6, (const char *const[]){ "3", "y", NULL }, NULL);
	done();
}
END_TEST

/* CRLF line ends are line ends; a CR inside quotes is kept. */
START_TEST(crlf)
{
	OPEN("1,a\r\n2,\"b\r\nc\"\r\n3,\"d\"\r\n", 1024);
	expect_record(1, (const char *const[]){ "1", "a", NULL }, NULL);
	ck_assert_uint_eq(c.rawlen, 3);
	expect_record(2, (const char *const[]){ "2", "b\r\nc", NULL }, NULL);
	expect_record(4, (const char *const[]){ "3", "d", NULL }, NULL);
	done();
}
END_TEST

/* The last record needs no newline, quoted or not. */
START_TEST(no_final_newline)
{
	OPEN("1,a\n2,b", 1024);
	expect_record(1, (const char *const[]){ "1", "a", NULL }, NULL);
	expect_record(2, (const char *const[]){ "2", "b", NULL }, NULL);
	done();
	OPEN("1,\"quoted at the end\"", 1024);
	expect_record(1, (const char *const[]){ "1", "quoted at the end", NULL }, NULL);
	done();
}
END_TEST

/* Records across buffer refills: a small buffer reads the same records. */
START_TEST(small_buffer)
{
	OPEN("10,\"a \"\"quoted\"\" text\",20\n30,\"x\ny\",40\n", 32);
	expect_record(1, (const char *const[]){ "10", "a \"quoted\" text", "20", NULL }, NULL);
	expect_record(2, (const char *const[]){ "30", "x\ny", "40", NULL }, NULL);
	done();
}
END_TEST

/*
 * Write the bytes s (n of them) into a pipe from a child process, so the
 * reader gets them in many read()s; returns the reading end.
 */
static int
pipe_bytes(const char *s, size_t n)
{
	int	 fds[2];
	pid_t	 pid;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		close(fds[0]);
		while (n > 0) {
			ssize_t	 w = write(fds[1], s, n > 4096 ? 4096 : n);

			if (w <= 0)
				_exit(1);
			s += w;
			n -= (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

/*
 * A 1 MB quoted field holding commas, newlines and doubled quotes (the
 * loader's buffer is 4 MB) comes back whole, byte for byte, between the
 * records around it.
 */
START_TEST(one_megabyte_field)
{
	size_t	 n = 1 << 20, i, o = 0;
	char	*want = malloc(n + 1), *csv = malloc(2 * n + 64);
	int	 fd, quotes = 0;
	long	 nl = 0;

	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(csv);
	for (i = 0; i < n; i++) {
		switch (i % 997) {
		case 0: want[i] = '"'; break;
		case 1: want[i] = ','; break;
		case 2: want[i] = '\n'; nl++; break;
		default: want[i] = (char)('a' + i % 26);
		}
	}
	want[n] = '\0';
	o += (size_t)sprintf(csv + o, "1,\"");
	for (i = 0; i < n; i++) {
		if (want[i] == '"') {
			csv[o++] = '"';
			quotes++;
		}
		csv[o++] = want[i];
	}
	o += (size_t)sprintf(csv + o, "\",end\n2,next");
	fd = pipe_bytes(csv, o);
	ck_assert_int_eq(csv_open(&c, fd, 4 << 20), 0);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_ptr_null(c.error);
	ck_assert_int_eq(c.nfields, 3);
	ck_assert_uint_eq(c.field[1].len, n);
	ck_assert_int_eq(memcmp(c.field[1].s, want, n), 0);
	ck_assert_str_eq(c.field[2].s, "end");
	ck_assert_int_gt(quotes, 1000);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(c.field[1].s, "next");
	/* Lines: the record started on line 1 and held nl newlines. */
	ck_assert_int_eq(c.rec_line, 2 + nl);
	ck_assert_int_eq(csv_next(&c), 0);
	csv_close(&c);
	close(fd);
	free(want);
	free(csv);
}
END_TEST

/* A record longer than the buffer is reported, and the next one is read. */
START_TEST(record_longer_than_buffer)
{
	size_t	 n = 100000, o = 0, i;
	char	*csv = malloc(n + 64);
	int	 fd;

	ck_assert_ptr_nonnull(csv);
	o += (size_t)sprintf(csv, "1,");
	for (i = 0; i < n; i++)
		csv[o++] = 'x';
	o += (size_t)sprintf(csv + o, "\n2,after\n");
	fd = pipe_bytes(csv, o);
	ck_assert_int_eq(csv_open(&c, fd, 65536), 0);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(c.error, "record longer than the reader's buffer");
	ck_assert_int_eq(c.rec_line, 1);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_ptr_null(c.error);
	ck_assert_int_eq(c.rec_line, 2);
	ck_assert_str_eq(c.field[1].s, "after");
	ck_assert_int_eq(csv_next(&c), 0);
	csv_close(&c);
	close(fd);
	free(csv);
}
END_TEST

/* Malformed quoting is reported on its record; the reader goes on. */
START_TEST(malformed)
{
	OPEN("1,\"a\"b,c\n2,a\"b\n3,ok\n4,\"never closed\n", 1024);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(c.error, "text after a closing quote");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(c.error, "stray quote in an unquoted field");
	expect_record(3, (const char *const[]){ "3", "ok", NULL }, NULL);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(c.error, "unterminated quoted field");
	ck_assert_int_eq(c.rec_line, 4);
	done();
}
END_TEST

/*
 * Invalid UTF-8 and NUL pass through the reader as bytes (it reads bytes,
 * not text); the loader's field check rejects them, and takes good UTF-8.
 */
START_TEST(invalid_utf8)
{
	static const char	 in[] = "caf\xc3\xa9,\"\xe2\x9c\x93 \xf0\x9f\x98\x80\","
	    "a\xff" "b,\"\xc0\x80\",\xed\xa0\x80,\"\xe2\x82\",x\0y,\xf4\x90\x80\x80\n";
	static const struct { size_t len; int text; } want[] = {
		{ 5, 1 },	/* café */
		{ 8, 1 },	/* check mark, space, emoji */
		{ 3, 0 },	/* a, 0xff, b */
		{ 2, 0 },	/* overlong NUL */
		{ 3, 0 },	/* a UTF-16 surrogate */
		{ 2, 0 },	/* a sequence cut short */
		{ 3, 0 },	/* a raw NUL */
		{ 4, 0 },	/* past U+10FFFF */
	};
	size_t	 i;

	open_bytes(in, sizeof(in) - 1, 1024);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_ptr_null(c.error);
	ck_assert_int_eq(c.nfields, 8);
	for (i = 0; i < 8; i++) {
		ck_assert_msg(c.field[i].len == want[i].len, "field %zu: %zu bytes, want %zu",
		    i, c.field[i].len, want[i].len);
		ck_assert_msg(field_text(&c.field[i]) == want[i].text,
		    "field %zu: field_text %d, want %d", i, field_text(&c.field[i]), want[i].text);
	}
	ck_assert_mem_eq(c.field[2].s, "a\xff" "b", 3);
	done();
}
END_TEST

/* The loader's other field checks on what the reader hands them. */
START_TEST(field_checks)
{
	int64_t	 v;
	int	 b;

	OPEN("42,\"42\",2147483648,-1,true,\"true\",false,TRUE\n", 1024);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_int_eq(field_int(&c.field[0], 1, 2147483647, &v), 1);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(field_int(&c.field[1], 1, 2147483647, &v), 0);
	ck_assert_int_eq(field_int(&c.field[2], 1, 2147483647, &v), 0);
	ck_assert_int_eq(field_int(&c.field[3], 1, 2147483647, &v), 0);
	ck_assert_int_eq(field_bool(&c.field[4], &b), 1);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(field_bool(&c.field[5], &b), 0);
	ck_assert_int_eq(field_bool(&c.field[6], &b), 1);
	ck_assert_int_eq(b, 0);
	ck_assert_int_eq(field_bool(&c.field[7], &b), 0);
	done();
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("csv");
	TCase	*tc = tcase_create("reader");

	tcase_add_test(tc, plain_records);
	tcase_add_test(tc, quoted_fields);
	tcase_add_test(tc, newline_in_field);
	tcase_add_test(tc, crlf);
	tcase_add_test(tc, no_final_newline);
	tcase_add_test(tc, small_buffer);
	tcase_add_test(tc, one_megabyte_field);
	tcase_add_test(tc, record_longer_than_buffer);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, invalid_utf8);
	tcase_add_test(tc, field_checks);
	suite_add_tcase(s, tc);
	return s;
}
