# Sourced by scripts/batch_interp.sh and interp_segments.sbatch: this task's place in a
# Slurm job array, 0-based, and the array's size, from the variables Slurm sets (an array
# may start anywhere and step: --array=5-11:2 gives places 0..3 of 4).
# shellcheck shell=bash
slurm_array_place() {  # prints "I N"
  local step=${SLURM_ARRAY_TASK_STEP:-1}
  local count=${SLURM_ARRAY_TASK_COUNT:-$(( (${SLURM_ARRAY_TASK_MAX:-0} - ${SLURM_ARRAY_TASK_MIN:-0}) / step + 1 ))}
  echo "$(( (SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0}) / step )) $count"
}
