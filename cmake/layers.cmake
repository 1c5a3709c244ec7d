# The core's layers, lowest first, and the build that enforces them (native builds only; the
# wasm build compiles the same files as one program). A layer's files may include the headers of
# their own layer and of the layers it lists as DEPS (and theirs); nothing else. Each layer is a
# static library compiled against its own include root, build/layers/<name>/, which holds
# symlinks to exactly those headers, so an include that crosses a layer the wrong way is a
# "file not found" at compile time. Every file under cpp/ belongs to exactly one layer
# (configure fails otherwise). docs/ARCHITECTURE.md draws the picture.
#
#   base      core/ text kit, JSON, bytes, time, coroutines, effect descriptions and result
#             views (effects.*); http/ request, errors, parsers
#   answer    neutral answer events, failures, renderer and decoder interfaces
#   tools     tool catalogue, prompt, sieve
#   grok      Grok's protocol: payloads, frames, decoders, statsig, cookies
#   openai    OpenAI requests and renderers
#   anthropic Anthropic Messages requests and renderer
#   runtime   Ctx, which runs effects and pumps (core/context.*), responses through it
#             (http/response.*)
#   services  the token pool and API keys
#   app       the flows: /v1, media, scheduled work, upstream calls
#   admin     the admin API
#   worker    the C ABI and the top-level router

set(G2A_LAYERS base answer tools grok openai anthropic runtime services app admin worker)

set(G2A_LAYER_GLOBS_base core/* http/*)
set(G2A_LAYER_DEPS_base)
set(G2A_LAYER_GLOBS_answer answer/*)
set(G2A_LAYER_DEPS_answer base)
set(G2A_LAYER_GLOBS_tools tools/*)
set(G2A_LAYER_DEPS_tools answer)
set(G2A_LAYER_GLOBS_grok grok/*)
set(G2A_LAYER_DEPS_grok answer)
set(G2A_LAYER_GLOBS_openai openai/*)
set(G2A_LAYER_DEPS_openai tools)
set(G2A_LAYER_GLOBS_anthropic anthropic/*)
set(G2A_LAYER_DEPS_anthropic openai)
set(G2A_LAYER_GLOBS_runtime core/context.* http/response.*)
set(G2A_LAYER_DEPS_runtime base)
set(G2A_LAYER_GLOBS_services pool/* auth/*)
set(G2A_LAYER_DEPS_services runtime grok)
set(G2A_LAYER_GLOBS_app app/*)
set(G2A_LAYER_DEPS_app services anthropic)
set(G2A_LAYER_GLOBS_admin admin/*)
set(G2A_LAYER_DEPS_admin app)
set(G2A_LAYER_GLOBS_worker worker/*)
set(G2A_LAYER_DEPS_worker admin)

# Files of each layer: its globs, minus files a later layer's globs name (runtime takes
# core/context.* out of base).
set(_g2a_claimed)
set(_g2a_rev ${G2A_LAYERS})
list(REVERSE _g2a_rev)
foreach(layer ${_g2a_rev})
  set(files)
  foreach(g ${G2A_LAYER_GLOBS_${layer}})
    file(GLOB found CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/cpp/${g}")
    list(APPEND files ${found})
  endforeach()
  list(FILTER files INCLUDE REGEX "\\.(h|cpp)$")
  if(_g2a_claimed)
    list(REMOVE_ITEM files ${_g2a_claimed})
  endif()
  list(REMOVE_DUPLICATES files)
  set(G2A_LAYER_FILES_${layer} ${files})
  list(APPEND _g2a_claimed ${files})
endforeach()

file(GLOB_RECURSE _g2a_all CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/cpp/*")
list(FILTER _g2a_all INCLUDE REGEX "\\.(h|cpp)$")
list(REMOVE_ITEM _g2a_all ${_g2a_claimed})
if(_g2a_all)
  message(FATAL_ERROR "files in no layer (add their folder to cmake/layers.cmake): ${_g2a_all}")
endif()

# A layer's reach: itself and its DEPS, transitively.
function(g2a_layer_reach layer out)
  set(reach ${layer})
  set(todo ${G2A_LAYER_DEPS_${layer}})
  while(todo)
    list(POP_FRONT todo d)
    if(NOT d IN_LIST reach)
      list(APPEND reach ${d})
      list(APPEND todo ${G2A_LAYER_DEPS_${d}})
    endif()
  endwhile()
  set(${out} ${reach} PARENT_SCOPE)
endfunction()

# Builds one static library per layer (g2a_<layer>) and g2a_core, which links them all.
# $1..: compile options for every layer. A layer's files compile without waiting for the
# archives of the layers below (OPTIMIZE_DEPENDENCIES), so the build stays parallel.
function(g2a_add_layers)
  set(CMAKE_OPTIMIZE_DEPENDENCIES ON)
  set(previous)
  foreach(layer ${G2A_LAYERS})
    g2a_layer_reach(${layer} reach)
    set(root "${CMAKE_BINARY_DIR}/layers/${layer}")
    file(REMOVE_RECURSE "${root}")
    foreach(r ${reach})
      foreach(f ${G2A_LAYER_FILES_${r}})
        if(f MATCHES "\\.h$")
          file(RELATIVE_PATH rel "${CMAKE_SOURCE_DIR}/cpp" "${f}")
          get_filename_component(dir "${root}/${rel}" DIRECTORY)
          file(MAKE_DIRECTORY "${dir}")
          file(CREATE_LINK "${f}" "${root}/${rel}" SYMBOLIC)
        endif()
      endforeach()
    endforeach()
    set(sources ${G2A_LAYER_FILES_${layer}})
    list(FILTER sources INCLUDE REGEX "\\.cpp$")
    add_library(g2a_${layer} STATIC ${sources})
    target_include_directories(g2a_${layer} PRIVATE "${root}")
    target_include_directories(g2a_${layer} SYSTEM PRIVATE "${NLOHMANN_INC}")
    target_compile_definitions(g2a_${layer} PUBLIC ${G2A_DEFINES})
    target_compile_options(g2a_${layer} PRIVATE ${ARGN})
    target_link_libraries(g2a_${layer} PUBLIC simdjson_lib)
    foreach(d ${G2A_LAYER_DEPS_${layer}})
      target_link_libraries(g2a_${layer} PUBLIC g2a_${d})
    endforeach()
    if(layer STREQUAL "base")
      target_precompile_headers(g2a_base PRIVATE ${G2A_PCH})
    else()
      target_precompile_headers(g2a_${layer} REUSE_FROM g2a_base)
    endif()
  endforeach()
  add_library(g2a_core INTERFACE)
  target_include_directories(g2a_core INTERFACE "${CMAKE_SOURCE_DIR}/cpp")
  target_include_directories(g2a_core SYSTEM INTERFACE "${NLOHMANN_INC}")
  target_link_libraries(g2a_core INTERFACE g2a_worker)
endfunction()
