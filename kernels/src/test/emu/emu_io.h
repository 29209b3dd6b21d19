// File I/O shared by the emulation drivers: raw little-endian arrays, as the Java tests write and
// read them (Emulator.java).
#pragma once
#include <cstdio>
#include <cstdlib>
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
