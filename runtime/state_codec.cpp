#include "runtime/state_codec.hpp"

#include <cstring>
#include <stdexcept>

namespace critsec::runtime {

namespace {
using model::Value;

class Writer {
public:
    void i64(int64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void str(const std::string& s) {
        i64(static_cast<int64_t>(s.size()));
        out_ += s;
    }
    void value(const Value& v) {
        i64(static_cast<int64_t>(v.v.index()));
        std::visit([this](const auto& x) { put(x); }, v.v);
    }
    void values(const std::vector<Value>& vs) {
        i64(static_cast<int64_t>(vs.size()));
        for (const auto& v : vs) value(v);
    }
    std::string take() { return std::move(out_); }

private:
    void put(const model::Unset&) {}
    void put(int64_t x) { i64(x); }
    void put(double x) {
        int64_t bits;
        std::memcpy(&bits, &x, sizeof bits);
        i64(bits);
    }
    void put(bool x) { i64(x); }
    void put(const std::string& x) { str(x); }
    void put(const model::ProcRef& x) { i64(x.instance); }
    void put(const model::Pid& x) { i64(x.instance); }
    void put(const model::FileHandle& x) { i64(x.open_index); }
    void put(const model::List& x) { values(x); }
    void put(const model::NoneValue&) {}
    std::string out_;
};

class Reader {
public:
    Reader(const char* data, size_t size) : p_(data), end_(data + size) {}
    int64_t i64() {
        need(sizeof(int64_t));
        int64_t v;
        std::memcpy(&v, p_, sizeof v);
        p_ += sizeof v;
        return v;
    }
    std::string str() {
        int64_t n = i64();
        need(static_cast<size_t>(n));
        std::string s(p_, static_cast<size_t>(n));
        p_ += n;
        return s;
    }
    Value value() {
        switch (i64()) {
            case 0: return Value{};
            case 1: return Value(i64());
            case 2: {
                int64_t bits = i64();
                double d;
                std::memcpy(&d, &bits, sizeof d);
                return Value(d);
            }
            case 3: return Value(i64() != 0);
            case 4: return Value(str());
            case 5: return Value(model::ProcRef{static_cast<int>(i64())});
            case 6: return Value(model::Pid{static_cast<int>(i64())});
            case 7: return Value(model::FileHandle{static_cast<int>(i64())});
            case 8: return Value(values());
            case 9: return Value(model::NoneValue{});
            default: throw std::runtime_error("bad value in a start state");
        }
    }
    std::vector<Value> values() {
        int64_t n = i64();
        if (n < 0 || n > (end_ - p_)) throw std::runtime_error("bad list in a start state");
        std::vector<Value> out;
        for (int64_t i = 0; i < n; ++i) out.push_back(value());
        return out;
    }

private:
    void need(size_t n) {
        if (static_cast<size_t>(end_ - p_) < n) throw std::runtime_error("truncated start state");
    }
    const char* p_;
    const char* end_;
};
}  // namespace

std::string encode_start_state(const model::ProcessState& s) {
    Writer w;
    w.i64(s.instance);
    w.i64(s.process);
    w.str(s.label);
    w.str(s.name);
    w.i64(s.pc);
    w.values(s.locals);
    w.values(s.globals);
    w.i64(s.draws);
    return w.take();
}

model::ProcessState decode_start_state(const char* data, size_t size) {
    Reader r(data, size);
    model::ProcessState s;
    s.instance = static_cast<int>(r.i64());
    s.process = static_cast<int>(r.i64());
    s.label = r.str();
    s.name = r.str();
    s.pc = static_cast<int>(r.i64());
    s.locals = r.values();
    s.globals = r.values();
    s.draws = static_cast<int>(r.i64());
    return s;
}

}  // namespace critsec::runtime
