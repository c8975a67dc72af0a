// A minimal stand-in for Vitis HLS's <hls_stream.h>, for compiling and running dnnc's
// --emit=hls output with a plain C++17 compiler (g++, clang++). Streams are unbounded
// std::deque FIFOs: a C simulation runs the DATAFLOW region's functions one after another, so
// a producer must be able to finish before its consumer starts; `full()` still reports the
// declared depth. Reading an empty stream is a design error and aborts with a message.
// `#pragma HLS` lines are unknown pragmas to g++ and ignored. `half` is approximated by float.
#ifndef DNNC_HLS_STREAM_SHIM_H
#define DNNC_HLS_STREAM_SHIM_H

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <deque>

#ifndef __SYNTHESIS__
typedef float half;
#endif

namespace hls {

// stream<T> holds the data; stream<T, N> (a declared depth) derives from it, so it binds to the
// stream<T>& parameters of the kernel functions as in Vitis HLS.
template <typename T, std::size_t N = 0>
class stream;

template <typename T>
class stream<T, 0> {
 public:
  stream() = default;
  explicit stream(const char *) {}
  stream(const stream &) = delete;
  stream &operator=(const stream &) = delete;

  T read() {
    if (q_.empty()) {
      std::fprintf(stderr, "hls_stream shim: read from an empty stream\n");
      std::abort();
    }
    T v = q_.front();
    q_.pop_front();
    return v;
  }
  void read(T &v) { v = read(); }
  void write(const T &v) { q_.push_back(v); }
  bool empty() const { return q_.empty(); }
  bool full() const { return depth_ != 0 && q_.size() >= depth_; }
  std::size_t size() const { return q_.size(); }

 protected:
  std::size_t depth_ = 0;

 private:
  std::deque<T> q_;
};

template <typename T, std::size_t N>
class stream : public stream<T, 0> {
 public:
  stream() { this->depth_ = N; }
  explicit stream(const char *) { this->depth_ = N; }
};

}  // namespace hls

#endif
