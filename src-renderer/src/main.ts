import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import 'uplot/dist/uPlot.min.css';
import './styles/theme.css';
import './styles/rows.css';
import './styles/svg-badges.css';

createApp(App).use(createPinia()).mount('#app');
