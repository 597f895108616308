#include "runtime/final_state.hpp"

#include "runtime/run_result.hpp"

namespace critsec::runtime {

std::vector<std::string> describe_final_state(const model::Program& program, const Arena& arena, const FileSandbox& files) {
    std::vector<std::string> out;
    for (size_t i = 0; i < program.objects.size(); ++i) {
        const auto& obj = program.objects[i];
        int object = static_cast<int>(i);
        switch (obj.kind) {
            case model::ObjectKind::Value:
                out.push_back(obj.name + "=" + std::to_string(arena.load(object, 0)));
                break;
            case model::ObjectKind::Array: {
                std::string cells;
                for (int c = 0; c < obj.cells(); ++c) cells += (c ? ", " : "") + std::to_string(arena.load(object, c));
                out.push_back(obj.name + "=[" + cells + "]");
                break;
            }
            case model::ObjectKind::File: {
                auto content = files.read(object);
                out.push_back(content ? obj.file_name + "=" + python_repr(*content) : obj.file_name + " absent");
                break;
            }
            default:
                break;
        }
    }
    return out;
}

}  // namespace critsec::runtime
