// File I/O shared by the emulation drivers: raw little-endian arrays, as the Java tests write and
// read them (Emulator.java).
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

// n elements of T from path; a missing file is fatal when required, else an empty vector.
template <class T>
std::vector<T> gw_emu_read(const std::string& path, size_t n, bool required = true) {
  std::vector<T> v;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (required) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      std::exit(2);
    }
    return v;
  }
  v.resize(n);
  in.read(reinterpret_cast<char*>(v.data()), (std::streamsize)(n * sizeof(T)));
  if ((size_t)in.gcount() != n * sizeof(T)) {
    std::fprintf(stderr, "%s: expected %zu bytes\n", path.c_str(), n * sizeof(T));
    std::exit(2);
  }
  return v;
}

template <class T>
void gw_emu_write(const std::string& path, const std::vector<T>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), (std::streamsize)(v.size() * sizeof(T)));
}

// A float (double) given on the command line as its bit pattern in unsigned decimal: the test passes
// exactly the constant a host class would pack, with no decimal rounding on the way.
inline float gw_emu_f32_bits(const char* s) {
  uint32_t u = (uint32_t)std::strtoul(s, nullptr, 10);
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

inline double gw_emu_f64_bits(const char* s) {
  uint64_t u = (uint64_t)std::strtoull(s, nullptr, 10);
  double d;
  std::memcpy(&d, &u, 8);
  return d;
}
