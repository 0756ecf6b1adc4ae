/* views.h - the viewer's views, in tab order: the one list of their keys, names and titles. */
#ifndef VW_VIEWS_H
#define VW_VIEWS_H

/*
 * X(ID, key, name, title, module), once a view, in the order of the tabs.
 * The terminal program (viewer/tui/views.c) expands it into its view
 * table: the tab row, the help, the pane titles and the keys that show a
 * view all read that table. The lesson engine (viewer/lesson/lesson.c)
 * expands it into the names a lesson file may write after "view:". Both
 * number the views in this order (VW_VIEW_ID, VW_LESSON_ID), so a step's
 * view is the viewer's view of the same number. module is the terminal
 * program's symbol for the view; the lesson engine never uses it.
 */
#define VW_VIEWS(X)                                                                                \
    X(PATH, 'd', "path", "demultiplexing path", vw_view_path)                                      \
    X(WORDS, 'w', "words", "header words", vw_view_words)                                          \
    X(BYTES, 'b', "bytes", "bytes", vw_view_bytes)                                                 \
    X(SOCKETS, 's', "sockets", "socket pairs", vw_view_sockets)                                    \
    X(TREE, 't', "tree", "multiplexing tree", vw_view_tree)                                        \
    X(LADDER, 'l', "ladder", "ladder diagram", vw_view_ladder)                                     \
    X(STREAM, 'f', "stream", "followed stream", vw_view_stream)

#endif
