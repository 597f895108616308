#pragma once
// The in-memory world with a log of the shared accesses of the step being run:
// which cell or file a load, store, read or write touched. The explorer and the
// witness replay read the log to follow the lost-update pattern; the world's
// behaviour is MemoryWorld's, unchanged.
#include <vector>

#include "model/memory_world.hpp"

namespace critsec::checker {

struct Access {
    bool write;  // a store or a file write (truncation is not a write here)
    int object;
    int64_t cell;  // 0 for a Value or a file
};

class LoggingWorld : public model::MemoryWorld {
public:
    using MemoryWorld::MemoryWorld;
    std::vector<Access>* log = nullptr;  // set while a step runs

    int64_t load(int object, int64_t cell) override {
        note(false, object, cell);
        return MemoryWorld::load(object, cell);
    }
    void store(int object, int64_t cell, int64_t value) override {
        note(true, object, cell);
        MemoryWorld::store(object, cell, value);
    }
    std::string file_pread(int handle, int64_t offset, int64_t max_bytes) override {
        note(false, handle_object.at(handle), 0);
        return MemoryWorld::file_pread(handle, offset, max_bytes);
    }
    // A size sample is a read of the file: a read(2) that finds the end returns nothing
    // but has still seen the file as it was.
    int64_t file_size(int handle) override {
        note(false, handle_object.at(handle), 0);
        return MemoryWorld::file_size(handle);
    }
    void file_pwrite(int handle, int64_t offset, const std::string& data) override {
        note(true, handle_object.at(handle), 0);
        MemoryWorld::file_pwrite(handle, offset, data);
    }
    int64_t file_append(int handle, const std::string& data) override {
        note(true, handle_object.at(handle), 0);
        return MemoryWorld::file_append(handle, data);
    }

private:
    void note(bool write, int object, int64_t cell) {
        if (log) log->push_back({write, object, cell});
    }
};

}  // namespace critsec::checker
