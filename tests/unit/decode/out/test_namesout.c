/* test_namesout.c - unit tests for decode/out/namesout.c: `demux names`, lines numbered as cited.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "demux.h"
#include "names/names_builtin.h"

/* What dx_text_names() prints for n, in a malloc'd string. */
static char *names_text(const struct dx_names *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(dx_text_names(f, n), 0);
    fclose(f);
    return buf;
}

/* The built-in line a citation names is the line printed with its number. */
static void test_builtin_line_as_cited(void **state)
{
    (void)state;
    struct dx_names *n = dx_names_new();
    assert_non_null(n);
    const struct dx_name_entry *e = dx_names_service(n, 23, "tcp");
    assert_non_null(e);
    char *out = names_text(n);
    char want[256];
    snprintf(want, sizeof want, "\n%5u  %s\n", e->line, dx_names_builtin_services[e->line - 1]);
    const char *services = strstr(out, "services (built-in): ");
    assert_non_null(services);
    assert_non_null(strstr(services, want));

    e = dx_names_protocol(n, 6);
    snprintf(want, sizeof want, "\n%5u  %s\n", e->line, dx_names_builtin_protocols[e->line - 1]);
    const char *protocols = strstr(out, "protocols (built-in): ");
    assert_true(protocols && protocols < services);
    assert_non_null(strstr(protocols, want));
    free(out);
    dx_names_free(n);
}

/* A file's text: comments and blank lines keep their numbers, CR is
 * dropped, control bytes print as '?', a last line without '\n' counts. */
static void test_file_text(void **state)
{
    (void)state;
    struct dx_names *n = dx_names_new();
    assert_non_null(n);
    static const char text[] = "# mine\r\n\nx 1/tcp\t# one\r\nbad\0line\ny 2/udp";
    assert_int_equal(dx_names_parse_services(n, text, sizeof text - 1, "my.services", NULL), 2);
    char *out = names_text(n);
    const char *services = strstr(out, "services (my.services): a citation "
                                       "\"(my.services line N)\" names line N below\n");
    assert_non_null(services);
    assert_non_null(strstr(services, "    1  # mine\n    2  \n    3  x 1/tcp\t# one\n"
                                     "    4  bad?line\n    5  y 2/udp\n"));
    assert_null(strstr(services, "    6  "));
    assert_int_equal(dx_names_service(n, 2, "udp")->line, 5);
    free(out);

    size_t len;
    const char *file;
    assert_null(dx_names_text(NULL, DX_NAMES_SERVICES, &len, &file));
    assert_int_equal(len, 0);
    assert_int_equal(dx_text_names(stdout, NULL), -1);
    dx_names_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_line_as_cited),
        cmocka_unit_test(test_file_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
