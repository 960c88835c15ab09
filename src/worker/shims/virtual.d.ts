declare module 'virtual:plenary-files' {
  const files: Record<string, string>;
  export default files;
}
