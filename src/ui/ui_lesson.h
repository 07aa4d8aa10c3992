/* ui_lesson — the course on the command line (placeholder). */
#ifndef ASYNC_TUTORIAL_UI_UI_LESSON_H
#define ASYNC_TUTORIAL_UI_UI_LESSON_H
#endif
