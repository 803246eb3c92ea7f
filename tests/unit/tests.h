/* The list of unit tests: X(name) for each void test_name(void). */
#define WEDGE_TESTS(X) \
    X(numbers)         \
    X(decimal)         \
    X(errors)          \
    X(jsonw)           \
    X(buf)             \
    X(ops)             \
    X(op_kinds)        \
    X(op_facts)        \
    X(record_ops)      \
    X(source_plain)    \
    X(source_compressed) \
    X(source_long_lines) \
    X(source_shrinks)  \
    X(jsonl_valid)     \
    X(jsonl_malformed) \
    X(xenia)           \
    X(templates)       \
    X(symbols)         \
    X(probes)          \
    X(keytable)        \
    X(divergence)      \
    X(align)           \
    X(root_facts)      \
    X(render_facts)    \
    X(kind_names)      \
    X(diff)              \
    X(cases)           \
    X(utf8)            \
    X(buf_utf8)        \
    X(outfile)         \
    X(symbols_cut)     \
    X(writer_lines)    \
    X(writer_threads)  \
    X(writer_flusher)  \
    X(writer_numbers)
