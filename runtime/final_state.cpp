#include "runtime/final_state.hpp"

#include <fmt/format.h>

namespace critsec::runtime {

std::vector<std::string> describe_final_state(const model::Program& program, const Arena& arena, const FileSandbox& files) {
    std::vector<std::string> out;
    for (size_t i = 0; i < program.objects.size(); ++i) {
        const auto& obj = program.objects[i];
        int object = static_cast<int>(i);
        switch (obj.kind) {
            case model::ObjectKind::Value: out.push_back(fmt::format("{}.value = {}", obj.name, arena.load(object, 0))); break;
            case model::ObjectKind::Array: {
                std::string cells;
                for (int c = 0; c < obj.cells(); ++c) cells += (c ? ", " : "") + std::to_string(arena.load(object, c));
                out.push_back(fmt::format("{} = [{}]", obj.name, cells));
                break;
            }
            case model::ObjectKind::File: {
                auto content = files.read(object);
                out.push_back(content ? fmt::format("file {} = {:?}", obj.file_name, *content)
                                      : fmt::format("file {} absent", obj.file_name));
                break;
            }
            default: break;
        }
    }
    return out;
}

}  // namespace critsec::runtime
