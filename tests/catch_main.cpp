// The Catch2 main, built here (not Catch2::Catch2WithMain) so that it gets our flags and
// sanitizers.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
