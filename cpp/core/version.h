// The core's version, reported by /health and in logs.
#pragma once

namespace g2a {
inline constexpr const char *kCoreVersion = "0.1.0";
} // namespace g2a
