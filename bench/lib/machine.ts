import { cpus, platform, release, totalmem } from 'node:os';
import { hcloudVersion } from './sim';

export async function machineInfo() {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${platform()} ${release()}`,
    hcloudCli: await hcloudVersion(),
  };
}
