# Warnings, sanitizers and the language level, linked PRIVATE into every icemu target.
add_library(icemu_options INTERFACE)
target_compile_features(icemu_options INTERFACE cxx_std_20)
target_include_directories(icemu_options INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_options(icemu_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
    -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough)
if(ICEMU_WERROR)
    target_compile_options(icemu_options INTERFACE -Werror)
endif()
if(ICEMU_SANITIZE)
    set(icemu_sanitize_flags -fsanitize=${ICEMU_SANITIZE} -fno-omit-frame-pointer)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        list(APPEND icemu_sanitize_flags -fno-sanitize=function)
    endif()
    target_compile_options(icemu_options INTERFACE ${icemu_sanitize_flags})
    target_link_options(icemu_options INTERFACE ${icemu_sanitize_flags})
    target_compile_definitions(icemu_options INTERFACE _GLIBCXX_ASSERTIONS)
endif()
