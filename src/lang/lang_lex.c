#include "config.h"
/* placeholder: being written */
typedef int placeholder_lang_lex;
