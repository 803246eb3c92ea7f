/* fuzz_files.h - what the fuzz targets share: writing an input to a file
 * that the library then reads. */
#ifndef WEDGE_FUZZ_FILES_H
#define WEDGE_FUZZ_FILES_H

#include <stdint.h>
#include <stdio.h>

/* Writes size bytes of data to path; 0, or -1 when it could not. */
static int fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = size ? fwrite(data, 1, size, f) : 0;
    return fclose(f) == 0 && put == size ? 0 : -1;
}

#endif
