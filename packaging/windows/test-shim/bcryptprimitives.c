/* TEST ONLY, never shipped: `bcryptprimitives.dll` for Wine 8, which lacks it. Rust's standard
 * library (1.78+) gets its random numbers from ProcessPrng in this DLL; real Windows 10/11 has
 * it. This shim fills the buffer with RtlGenRandom (SystemFunction036 in advapi32), which Wine
 * has. `scripts/package.sh --test` builds it with mingw-w64 and puts it beside leerrijk.exe. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
