#include "config.h"
/* placeholder: being written */
typedef int placeholder_ui_diag;
