#include "config.h"

#include "ui/ui_lesson.h"
