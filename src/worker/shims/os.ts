/** node:os for the Workers bundle: the few values the app reads. */
export const tmpdir = () => '/tmp';
export const cpus = () => [{ model: 'workerd', speed: 0 }];
export const availableParallelism = () => 1;
export const platform = () => 'workerd';
export const totalmem = () => 128 * 1024 * 1024;
export const freemem = () => 0;
export const EOL = '\n';
export default { tmpdir, cpus, availableParallelism, platform, totalmem, freemem, EOL };
