export { default } from "@isotropy/vitest-config";
