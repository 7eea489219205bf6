// The one translation unit that compiles Asio and Beast (BOOST_{ASIO,BEAST}_SEPARATE_COMPILATION):
// every other file includes only their declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
