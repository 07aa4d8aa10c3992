#include "config.h"
/* placeholder: being written */
typedef int placeholder_sim_fmt;
