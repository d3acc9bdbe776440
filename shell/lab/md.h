/* md.h - lab text (Markdown) for the terminal (md.c, with md4c). */
#ifndef NSLAB_LAB_MD_H
#define NSLAB_LAB_MD_H

#include <stdbool.h>

/* @md rendered for a terminal @width columns wide: paragraphs and lists
 * wrapped by display width at spaces only (code spans never break), tables
 * aligned, emphasis and code as attributes when @color. A new string
 * (free it); on a parse error, a copy of @md. */
char *lab_md_render(const char *md, int width, bool color);

#endif
