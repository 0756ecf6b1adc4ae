/* theme.c - colour roles: one table per theme, monochrome fallback, NO_COLOR, projector. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/*
 * Views ask for roles (ROLE_DEMUX_KEY), never for colours. A theme gives
 * each role a pair and attributes; the mono column is what the role looks
 * like with no colour at all, so every distinction the colours make is
 * still there in reverse, bold and underline.
 */

struct role_style {
    short fg, bg; /* -1 = the terminal's default */
    attr_t attr;  /* added to the colour */
    attr_t mono;  /* used instead when there is no colour */
};

#define DEF (-1)

/* The default theme: the terminal's own background and foreground. */
static const struct role_style default_theme[ROLE_COUNT] = {
    [ROLE_NORMAL] = {DEF, DEF, A_NORMAL, A_NORMAL},
    [ROLE_TABS] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ROLE_TAB_ACTIVE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD},
    [ROLE_HEADER] = {COLOR_CYAN, DEF, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_LIST_SEL] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ROLE_LIST_SEL_DIM] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_UNDERLINE | A_BOLD},
    [ROLE_MARK] = {COLOR_YELLOW, DEF, A_BOLD, A_BOLD},
    [ROLE_DEMUX_KEY] = {COLOR_RED, DEF, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_FIELD_SEL] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE},
    [ROLE_FOCUS] = {COLOR_BLACK, COLOR_GREEN, A_BOLD, A_UNDERLINE | A_BOLD},
    [ROLE_BORDER] = {COLOR_BLUE, DEF, A_NORMAL, A_NORMAL},
    [ROLE_HANDSHAKE] = {COLOR_GREEN, DEF, A_BOLD, A_BOLD},
    [ROLE_NOTE] = {COLOR_GREEN, DEF, A_NORMAL, A_NORMAL},
    [ROLE_LAYER_1] = {COLOR_BLUE, DEF, A_NORMAL, A_NORMAL},
    [ROLE_LAYER_2] = {COLOR_GREEN, DEF, A_NORMAL, A_BOLD},
    [ROLE_LAYER_3] = {COLOR_MAGENTA, DEF, A_NORMAL, A_UNDERLINE},
    [ROLE_LAYER_4] = {COLOR_CYAN, DEF, A_NORMAL, A_NORMAL},
    [ROLE_LAYER_5] = {COLOR_YELLOW, DEF, A_NORMAL, A_BOLD},
    [ROLE_LAYER_6] = {COLOR_RED, DEF, A_NORMAL, A_UNDERLINE},
    [ROLE_STATUS] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
    [ROLE_ERROR] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_PROMPT] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD},
};

/* Projector: a black screen, everything bold, and only pairs of large
 * contrast (no blue or red text on black, which a projector washes out). */
static const struct role_style projector_theme[ROLE_COUNT] = {
    [ROLE_NORMAL] = {COLOR_WHITE, COLOR_BLACK, A_BOLD, A_BOLD},
    [ROLE_TABS] = {COLOR_BLACK, COLOR_WHITE, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_TAB_ACTIVE] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD},
    [ROLE_HEADER] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_LIST_SEL] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_LIST_SEL_DIM] = {COLOR_BLACK, COLOR_WHITE, A_BOLD, A_UNDERLINE | A_BOLD},
    [ROLE_MARK] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_BOLD},
    [ROLE_DEMUX_KEY] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_FIELD_SEL] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_FOCUS] = {COLOR_BLACK, COLOR_GREEN, A_BOLD, A_UNDERLINE | A_BOLD},
    [ROLE_BORDER] = {COLOR_WHITE, COLOR_BLACK, A_BOLD, A_BOLD},
    [ROLE_HANDSHAKE] = {COLOR_GREEN, COLOR_BLACK, A_BOLD, A_BOLD},
    [ROLE_NOTE] = {COLOR_CYAN, COLOR_BLACK, A_BOLD, A_BOLD},
    [ROLE_LAYER_1] = {COLOR_WHITE, COLOR_BLACK, A_BOLD, A_BOLD},
    [ROLE_LAYER_2] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_LAYER_3] = {COLOR_CYAN, COLOR_BLACK, A_BOLD, A_BOLD},
    [ROLE_LAYER_4] = {COLOR_GREEN, COLOR_BLACK, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_LAYER_5] = {COLOR_MAGENTA, COLOR_BLACK, A_BOLD, A_BOLD},
    [ROLE_LAYER_6] = {COLOR_WHITE, COLOR_BLACK, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_STATUS] = {COLOR_BLACK, COLOR_WHITE, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_ERROR] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_PROMPT] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD},
};

/* Colour-blind: blue against orange (xterm's yellow), and no pair that
 * tells roles apart by red against green, so that protanopia,
 * deuteranopia and tritanopia keep every distinction; the marks (*, >,
 * letters) are there too. tests/theme_contrast.py checks it under each,
 * simulated. */
static const struct role_style colorblind_theme[ROLE_COUNT] = {
    [ROLE_NORMAL] = {DEF, DEF, A_NORMAL, A_NORMAL},
    [ROLE_TABS] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
    [ROLE_TAB_ACTIVE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD},
    [ROLE_HEADER] = {COLOR_CYAN, DEF, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_LIST_SEL] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE},
    [ROLE_LIST_SEL_DIM] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_UNDERLINE | A_BOLD},
    [ROLE_MARK] = {COLOR_YELLOW, DEF, A_BOLD, A_BOLD},
    [ROLE_DEMUX_KEY] = {COLOR_YELLOW, DEF, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE},
    [ROLE_FIELD_SEL] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE},
    [ROLE_FOCUS] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_UNDERLINE | A_BOLD},
    [ROLE_BORDER] = {COLOR_BLUE, DEF, A_BOLD, A_NORMAL},
    [ROLE_HANDSHAKE] = {COLOR_YELLOW, DEF, A_BOLD, A_BOLD},
    [ROLE_NOTE] = {COLOR_CYAN, DEF, A_NORMAL, A_NORMAL},
    [ROLE_LAYER_1] = {COLOR_BLUE, DEF, A_BOLD, A_NORMAL},
    [ROLE_LAYER_2] = {COLOR_YELLOW, DEF, A_NORMAL, A_BOLD},
    [ROLE_LAYER_3] = {COLOR_WHITE, DEF, A_NORMAL, A_UNDERLINE},
    [ROLE_LAYER_4] = {COLOR_BLUE, DEF, A_BOLD | A_UNDERLINE, A_NORMAL},
    [ROLE_LAYER_5] = {COLOR_YELLOW, DEF, A_UNDERLINE, A_BOLD},
    [ROLE_LAYER_6] = {COLOR_CYAN, DEF, A_NORMAL, A_UNDERLINE},
    [ROLE_STATUS] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
    [ROLE_ERROR] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_PROMPT] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD},
};

static const struct {
    const char *name;
    const struct role_style *styles; /* NULL: monochrome */
} themes[] = {
    {"default", default_theme},
    {"projector", projector_theme},
    {"colorblind", colorblind_theme},
    {"mono", NULL},
};

static attr_t role_attrs[ROLE_COUNT];

bool vw_theme_known(const char *name)
{
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++)
        if (strcmp(themes[i].name, name) == 0)
            return true;
    return false;
}

const char *vw_theme_names(void)
{
    static char names[128]; /* made once, from the table */
    size_t n = 0;
    if (names[0])
        return names;
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++)
        n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "", themes[i].name);
    return names;
}

static const struct role_style *theme_styles(const char *name)
{
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++)
        if (strcmp(themes[i].name, name) == 0)
            return themes[i].styles;
    return default_theme;
}

/* https://no-color.org: set and not empty means no colour. */
static bool no_color_asked(void)
{
    const char *v = getenv("NO_COLOR");
    return v && *v;
}

void vw_theme_start(const char *name)
{
    const struct role_style *styles = theme_styles(name ? name : "default");
    bool colour = styles && has_colors() && !no_color_asked() && start_color() == OK;
    if (colour && styles == default_theme)
        colour = use_default_colors() == OK;
    /* A role's pair number is its index + 1 (pair 0 is reserved). */
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct role_style *s = styles ? &styles[r] : &default_theme[r];
        if (colour && r + 1 < COLOR_PAIRS && init_pair((short)(r + 1), s->fg, s->bg) == OK)
            role_attrs[r] = COLOR_PAIR(r + 1) | s->attr;
        else
            role_attrs[r] = s->mono;
    }
    /* The whole screen takes the normal role's background. */
    bkgdset(role_attrs[ROLE_NORMAL] | ' ');
}

attr_t vw_role_attr(enum vw_role role)
{
    return role_attrs[role];
}

enum vw_role vw_layer_role(unsigned i)
{
    return (enum vw_role)(ROLE_LAYER_1 + i % 6);
}
