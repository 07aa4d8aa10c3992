#include "config.h"
/* placeholder: being written */
typedef int placeholder_trace_json;
