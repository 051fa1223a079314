# Warning flags for every conctrace target: -Wall -Wextra clean, -Werror when
# CT_WERROR is on (CI turns it on).
option(CT_WERROR "Treat warnings as errors" OFF)

add_library(ct_warnings INTERFACE)
target_compile_options(ct_warnings INTERFACE -Wall -Wextra -Wshadow -Wformat=2
                                             -Wno-unused-parameter)
if(CT_WERROR)
  target_compile_options(ct_warnings INTERFACE -Werror)
endif()
