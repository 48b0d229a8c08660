/**
 * The program chooses a TensorFlow.js backend before it runs a model (shared/runtime/backend.ts)
 * and loads only that backend's package. Most unit tests run models without choosing: they get
 * the plain JavaScript CPU backend, registered here for every test file. Tests that choose one
 * call initBackend as the program does.
 */
import '@tensorflow/tfjs-backend-cpu';
