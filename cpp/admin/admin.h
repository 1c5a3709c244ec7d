// The admin API under /api/admin/ (see docs/ADMIN_API.md): the one entry the top-level router
// calls for every path that starts with /api/admin/.
#pragma once

#include "core/context.h"

namespace g2a::admin {

Task<void> handle(Ctx &cx);

} // namespace g2a::admin
