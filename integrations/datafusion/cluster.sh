# Ballista on loopback for test.sh and bench/lake.sh (sourced): `cluster EXECUTORS TASKS` starts
# `$bin scheduler` and the executors on free ports, logs in `$work`, and sets `cluster_url`;
# `stop_cluster` stops them. The caller keeps `pids` (an array), kills them on exit, and defines `die`.

free_ports() {
  python3 -c 'import socket
s = [socket.socket() for _ in range(int(__import__("sys").argv[1]))]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))' "$1"
}

wait_port() { # port, pid, log
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; die "process $2 exited (log above)"; }
    sleep 0.1
  done
  die "nothing listens on 127.0.0.1:$1 after 30 s"
}

cluster() { # executors, tasks per executor; sets cluster_url
  local ports scheduler_port port grpc_port pid
  read -r -a ports <<<"$(free_ports $((1 + 2 * $1)))"
  scheduler_port=${ports[0]}
  "$bin" scheduler --port "$scheduler_port" >"$work/scheduler.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_port "$scheduler_port" "$pid" "$work/scheduler.log"
  for n in $(seq 1 "$1"); do
    port=${ports[$((2 * n - 1))]}
    grpc_port=${ports[$((2 * n))]}
    "$bin" executor --port "$port" --grpc-port "$grpc_port" --scheduler-port "$scheduler_port" \
      --concurrent-tasks "$2" >"$work/executor-$n.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_port "$port" "$pid" "$work/executor-$n.log"
  done
  sleep 1 # the executors register with the scheduler
  cluster_url="df://127.0.0.1:$scheduler_port"
}

stop_cluster() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}

