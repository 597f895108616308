#include "model/python/names.hpp"

#include <fmt/format.h>

#include <map>

namespace critsec::python {

std::optional<std::string> spec_name(const std::string& qualified) {
    static const std::map<std::string, std::string> table = {
        {"multiprocessing.Process", "Process"},
        {"multiprocessing.Value", "Value"},
        {"multiprocessing.Array", "Array"},
        {"multiprocessing.Lock", "Lock"},
        {"multiprocessing.RLock", "RLock"},
        {"multiprocessing.Semaphore", "Semaphore"},
        {"multiprocessing.BoundedSemaphore", "BoundedSemaphore"},
        {"multiprocessing.current_process", "current_process"},
        {"multiprocessing.parent_process", "parent_process"},
        {"multiprocessing.cpu_count", "cpu_count"},
        {"multiprocessing.process.current_process", "current_process"},
        {"os.cpu_count", "cpu_count"},
        {"os.getpid", "pid"},
        {"os.getppid", "parent_pid"},
        {"time.sleep", "sleep"},
        {"random.randint", "randint"},
    };
    auto it = table.find(qualified);
    if (it == table.end()) return std::nullopt;
    return it->second;
}

NotModelled not_modelled(const std::string& qualified) {
    static const std::map<std::string, NotModelled> known = {
        {"multiprocessing.Queue", {"a `Queue` is not modelled by critsec yet", "share a Value or an Array guarded by a Lock"}},
        {"multiprocessing.SimpleQueue", {"a `SimpleQueue` is not modelled by critsec yet", "share a Value or an Array guarded by a Lock"}},
        {"multiprocessing.JoinableQueue",
         {"a `JoinableQueue` is not modelled by critsec yet", "share a Value or an Array guarded by a Lock"}},
        {"multiprocessing.Pipe", {"a `Pipe` is not modelled by critsec yet", "share a Value or an Array guarded by a Lock"}},
        {"multiprocessing.Pool", {"a `Pool` is not modelled by critsec", "start one Process per task and join them"}},
        {"multiprocessing.Manager",
         {"a `Manager` is not modelled by critsec", "share a Value or an Array made with multiprocessing.Value/Array"}},
        {"multiprocessing.Event", {"an `Event` is not modelled by critsec yet", "use a shared Value as a flag"}},
        {"multiprocessing.Condition", {"a `Condition` is not modelled by critsec yet", "use a Lock and a shared Value"}},
        {"multiprocessing.Barrier", {"a `Barrier` is not modelled by critsec yet", "use a Semaphore per phase"}},
    };
    if (auto it = known.find(qualified); it != known.end()) return it->second;
    std::string module = qualified.substr(0, qualified.find('.'));
    if (module == "threading" || module == "concurrent" || module == "asyncio")
        return {fmt::format("`{}`: critsec checks processes, not threads or tasks", qualified),
                "use multiprocessing.Process and its shared objects"};
    return {fmt::format("`{}` is not modelled by critsec", qualified),
            "critsec reads multiprocessing's Process, Value, Array, Lock, RLock, Semaphore and BoundedSemaphore, time.sleep, "
            "random.randint, os.getpid"};
}

}  // namespace critsec::python
