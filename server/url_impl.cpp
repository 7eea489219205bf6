// The one translation unit that compiles Boost.URL (header-only through its src.hpp): every other
// file includes only its declarations.
#include <boost/url/src.hpp>
